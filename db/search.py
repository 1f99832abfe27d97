"""Full-text search over stored articles (FTS5, bm25 ranking then recency).

User input is never passed to FTS5 as syntax. `fts_query` rewrites it so that:
- every word is matched literally (quoted), so `AND`, `OR`, `NOT`, `NEAR`, `(`, `:` and `-`
  are just words or ignored punctuation; all words must occur (implicit AND);
- a balanced "double-quoted phrase" stays a phrase (the words adjacent, in order);
- a word ending in `*` is a prefix search (`mediat*` finds mediation, mediator);
- unbalanced quotes and punctuation-only pieces are dropped, never an error.

Ranking is bm25 (a headline hit weighs 5x a summary hit), then newest first. A very broad
query (more than SEARCH_CAP matches, e.g. "india" at a million articles) is ranked among its
SEARCH_CAP most recently stored matches, which keeps it fast; if that leaves fewer hits than
asked for after the filters, the search runs again over every match.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from db.records import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, StoredMentionRow
from db.tags import tag_filter
from db.timeutil import to_iso

_PIECE = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD_CHAR = re.compile(r"\w")
TITLE_WEIGHT, SUMMARY_WEIGHT = 5.0, 1.0  # a hit in the headline counts more than in the summary
SNIPPET_TOKENS = 16
SEARCH_CAP = 10_000


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when nothing searchable is left."""
    parts = []
    for m in _PIECE.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            if _WORD_CHAR.search(phrase):
                parts.append(f'"{phrase}"')
        elif word.endswith("*") and _WORD_CHAR.search(word.rstrip("*")):
            parts.append(f'"{word.rstrip("*")}"*')
        elif _WORD_CHAR.search(word):
            parts.append(f'"{word}"')
    return " ".join(parts) or None


def search(
    store, query: str = "", *, actor: str | None = None, stance: str | None = None,
    since: datetime | date | str | None = None, until: datetime | date | str | None = None,
    feed: str | None = None, relevant_only: bool = False, limit: int = 50,
) -> list[SearchHit]:  # fmt: skip
    """Articles matching `query` (see module doc) and the filters, best bm25 first, then newest.
    An empty (or punctuation-only) query lists the filtered articles newest first."""
    db = store.db
    where, params = [], {"limit": limit}
    if since is not None:
        where.append("a.published >= :since")
        params["since"] = to_iso(since)
    if until is not None:
        where.append("a.published <= :until")
        params["until"] = to_iso(until)
    if feed:
        where.append("a.feed = :feed")
        params["feed"] = feed
    if relevant_only:
        where.append("a.relevant = 1")
    mention_filter = []
    if actor:
        mention_filter.append("m.actor = :actor")
        params["actor"] = actor
    if stance:
        mention_filter.append("m.stance = :stance")
        params["stance"] = stance
    match = fts_query(query or "")
    if match is not None:
        tag = tag_filter(actor, stance)
        # the user's words must be in the text; the tags column only serves the filters
        params["match"] = f"{{title summary}} : ({match})" + (f" AND {tag}" if tag else "")
        if mention_filter:  # exact check on the few rows the tags let through
            where.append("EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND "
                         + " AND ".join(mention_filter) + ")")
        rows = _ranked_rows(db, where, params, limit)
    elif mention_filter:
        # Driven by the mentions(actor, stance, published) index, newest first.
        if since is not None:
            mention_filter.append("m.published >= :since")
        params["fetch"] = limit + 20  # headroom for articles naming the actor twice
        sql = (
            "SELECT a.id, a.feed, a.title, a.link, a.published, a.relevant, a.score, "
            "substr(a.summary, 1, 200), 0.0 FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE " + " AND ".join(mention_filter + where)
            + " ORDER BY m.published DESC LIMIT :fetch"
        )
        rows = _unique_by_id(db.execute(sql, params).fetchall())[:limit]
    else:
        sql = (
            "SELECT a.id, a.feed, a.title, a.link, a.published, a.relevant, a.score, "
            "substr(a.summary, 1, 200), 0.0 FROM articles a "
            + ("WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.published DESC LIMIT :limit"
        )
        rows = db.execute(sql, params).fetchall()
    hits = [
        SearchHit(id=r[0], feed=r[1], title=r[2], link=r[3], published=r[4],
                  relevant=bool(r[5]), score=r[6], snippet=r[7] or "", rank=r[8])
        for r in rows
    ]  # fmt: skip
    mentions = mentions_for(db, [h.id for h in hits])
    for hit in hits:
        hit.mentions = mentions.get(hit.id, [])
    return hits


_SNIPPET = f"snippet(articles_fts, -1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', {SNIPPET_TOKENS})"
_COLUMNS = f"a.id, a.feed, a.title, a.link, a.published, a.relevant, a.score, {_SNIPPET}"
_RANK = f"bm25(articles_fts, {TITLE_WEIGHT}, {SUMMARY_WEIGHT}, 0.0)"


def _ranked_rows(db, where: list[str], params: dict, limit: int) -> list[tuple]:
    """Rows for an FTS MATCH, best rank first, then newest; see the module doc on SEARCH_CAP."""
    bound = db.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?", [params["match"], SEARCH_CAP - 1],
    ).fetchone()  # fmt: skip
    if not where:
        # Nothing to check on `articles`: rank inside the FTS index alone (ties: newest stored
        # first), then join only the `limit` winners; joining every match costs 2-3x more.
        cap = "AND rowid >= :bound" if bound and limit <= SEARCH_CAP else ""
        # The snippet is taken in the inner query: a second MATCH per winner (to take it later)
        # re-reads whole doclists, which costs ~2 ms each for a prefix query.
        return db.execute(
            "SELECT a.id, a.feed, a.title, a.link, a.published, a.relevant, a.score, x.snippet, "
            f"x.rank FROM (SELECT rowid, {_SNIPPET} AS snippet, {_RANK} AS rank "
            f"FROM articles_fts WHERE articles_fts MATCH :match {cap} "
            "ORDER BY rank, rowid DESC LIMIT :limit) x "
            "CROSS JOIN articles a ON a.rowid = x.rowid ORDER BY x.rank, a.published DESC",
            {**params, "bound": bound[0] if bound else None},
        ).fetchall()
    sql = (
        f"SELECT {_COLUMNS}, {_RANK} AS rank FROM articles_fts "
        "JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH :match {cap}"
        + "".join(f"AND {w} " for w in where)
        + "ORDER BY rank, a.published DESC LIMIT :limit"
    )
    rows = []
    if bound is not None:
        rows = db.execute(sql.format(cap="AND articles_fts.rowid >= :bound "),
                          {**params, "bound": bound[0]}).fetchall()
    if len(rows) < limit:  # the recent matches did not pass the filters: search them all
        rows = db.execute(sql.format(cap=""), params).fetchall()
    return rows


def mentions_for(db, article_ids: list[str]) -> dict[str, list[StoredMentionRow]]:
    """article id -> its stored mentions (in stored order)."""
    found: dict[str, list[StoredMentionRow]] = {}
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        rows = db.execute(
            "SELECT article_id, actor, stance, evidence, confidence, baseline, in_watchlist, "
            f"shift FROM mentions WHERE article_id IN ({', '.join('?' * len(chunk))}) "
            "ORDER BY id",
            chunk,
        )
        for aid, actor, stance, evidence, confidence, baseline, in_watchlist, shift in rows:
            found.setdefault(aid, []).append(StoredMentionRow(
                actor, stance, evidence, confidence, baseline, bool(in_watchlist), bool(shift)
            ))  # fmt: skip
    return found


def _unique_by_id(rows: list[tuple]) -> list[tuple]:
    seen, out = set(), []
    for r in rows:
        if r[0] not in seen:
            seen.add(r[0])
            out.append(r)
    return out
