"""Actor/stance tags: single FTS tokens stored in articles.tags and indexed with the text, so
"search X --actor india --stance rejects_mediation" is one FTS5 MATCH (a doclist intersection)
instead of a join checked row by row. Tokens are lowercase letters and digits only, so the
default tokenizer keeps each one whole:

    xa<actor>   the article names the actor          xaindia
    xs<stance>  some mention has the stance          xsrejectsmediation
    xp<actor>x<stance>  the actor has that stance    xpindiaxrejectsmediation
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.matching.records import Mention

_NOT_TOKEN = re.compile(r"[^a-z0-9]")

# The same tags computed in SQL from a mentions row `m` (for the migration's backfill).
TAGS_SQL = (
    "'xa' || replace(m.actor, '_', '') || CASE WHEN m.stance IS NULL THEN '' ELSE "
    "' xs' || replace(m.stance, '_', '') || ' xp' || replace(m.actor, '_', '') || 'x' || "
    "replace(m.stance, '_', '') END"
)


def _token(value: str) -> str:
    return _NOT_TOKEN.sub("", value.lower())


def tags_for(mentions: Iterable[Mention]) -> str:
    """The tags text for an article's mentions."""
    out: list[str] = []
    for m in mentions:
        out.append(f"xa{_token(m.actor)}")
        if m.stance:
            out += [f"xs{_token(m.stance)}", f"xp{_token(m.actor)}x{_token(m.stance)}"]
    return " ".join(out)


def tag_filter(actor: str | None, stance: str | None) -> str | None:
    """The FTS5 expression restricting a search to an actor and/or stance, or None."""
    if actor and stance:
        token = f"xp{_token(actor)}x{_token(stance)}"
    elif actor:
        token = f"xa{_token(actor)}"
    elif stance:
        token = f"xs{_token(stance)}"
    else:
        return None
    return f'tags : "{token}"'
