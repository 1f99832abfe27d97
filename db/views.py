"""SQL views for the joins an analyst wants first, so `datasette kashmir-monitor.db` is useful
without writing SQL. Created by migration v2 (and re-created when a later step changes them)."""

from __future__ import annotations

import sqlite_utils

VIEWS: dict[str, str] = {
    # One row per (article, mention); articles without mentions appear once with NULL actor.
    "article_mentions": """
        SELECT a.id AS article_id, a.feed, a.published, a.title, a.link, a.relevant, a.score,
               a.cluster_id, m.actor, m.stance, m.confidence, m.shift, m.evidence
        FROM articles a LEFT JOIN mentions m ON m.article_id = a.id
    """,
    # The most recent stated stance of every actor (ties: the latest stored mention).
    "latest_stance": """
        SELECT actor, stance, published, article_id, title, link, evidence FROM (
            SELECT m.actor, m.stance, m.published, m.article_id, a.title, a.link, m.evidence,
                   ROW_NUMBER() OVER (PARTITION BY m.actor ORDER BY m.published DESC, m.id DESC)
                     AS n
            FROM mentions m JOIN articles a ON a.id = m.article_id
            WHERE m.stance IS NOT NULL
        ) WHERE n = 1
    """,
    # Mentions whose stance departs from the actor's baseline, newest first.
    "stance_shifts": """
        SELECT m.published, m.actor, m.baseline, m.stance, m.confidence, m.evidence,
               a.id AS article_id, a.feed, a.title, a.link, a.cluster_id
        FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE m.shift = 1
        ORDER BY m.published DESC
    """,
}


def create_views(db: sqlite_utils.Database) -> None:
    """(Re)create every view; views hold no data so replacing them is always safe."""
    for name, sql in VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
        db.execute(f"CREATE VIEW [{name}] AS {sql.strip()}")
