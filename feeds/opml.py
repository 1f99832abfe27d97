"""OPML import and export: the subscription list format every feed reader exchanges.

Reading is done with expat directly, refusing any DOCTYPE (and so any entity declaration):
OPML never needs one, and refusing it rules out external entities and entity bombs. Files are
capped at MAX_OPML_BYTES.

Readers write OPML differently, and all of these are understood:
- Miniflux: `<outline text="Cat" title="Cat">` holding `<outline type="rss" text=… title=…
  xmlUrl=… htmlUrl=…>`;
- FreshRSS: the same with `xmlUrl`, optional `htmlUrl`, `description` and FreshRSS attributes;
- Feedly: `title` and `text` both set (sometimes different), `type="rss"`, categories one level;
- others: nesting at any depth, only `text` or only `title`, `url` instead of `xmlUrl`.
An outline with a feed URL is a feed; one without is a category, whose title is kept as a path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit, urlunsplit
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_NAME = 60


class OpmlError(ValueError):
    """The file is not usable OPML; the message says why in one line."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed outline: its title ("" if none), feed URL, site URL and its category path."""

    title: str
    xml_url: str
    html_url: str | None = None
    categories: tuple[str, ...] = ()


@dataclass
class OpmlDocument:
    title: str | None = None
    feeds: list[OpmlFeed] = field(default_factory=list)


def _refuse_doctype(*_args) -> None:
    raise OpmlError("DOCTYPE declarations are not allowed in OPML (entities could be unsafe)")


def parse_opml(data: bytes | str) -> OpmlDocument:
    """Every feed outline in `data`, in document order. Raises OpmlError."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MiB")
    doc = OpmlDocument()
    path: list[str | None] = []  # the category titles of the open outlines (None: a feed)
    elements: list[str] = []
    in_head_title = []

    def start(name: str, attrs: dict[str, str]) -> None:
        elements.append(name)
        if name == "title" and elements[-2:-1] == ["head"]:
            in_head_title.append("")
        if name != "outline":
            return
        attrs = {k.lower(): v for k, v in attrs.items()}
        url = (attrs.get("xmlurl") or attrs.get("url") or "").strip()
        # `text` is what OPML 2.0 says a reader shows (Feedly puts a user's rename there)
        title = " ".join((attrs.get("text") or attrs.get("title") or "").split())
        if url and attrs.get("type", "rss").lower() not in ("link", "include"):
            categories = tuple(c for c in path if c)
            doc.feeds.append(OpmlFeed(title, url, (attrs.get("htmlurl") or "").strip()
                                      or None, categories))
            path.append(None)
        else:
            path.append(title or None)

    def end(name: str) -> None:
        elements.pop()
        if name == "outline":
            path.pop()
        elif name == "title" and in_head_title and doc.title is None:
            doc.title = " ".join(in_head_title[0].split()) or None

    def text(data: str) -> None:
        if in_head_title and doc.title is None and elements[-1:] == ["title"]:
            in_head_title[0] += data

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from None
    return doc


def slugify(text: str) -> str:
    """A feed name from a title: lower-case ASCII letters, digits and '-' ("Dawn — Home" → "dawn-home")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_NAME:  # cut at a word boundary when there is one in the second half
        slug = slug[:MAX_NAME + 1]
        cut = slug.rfind("-", MAX_NAME // 2)
        slug = slug[:cut] if cut > 0 else slug[:MAX_NAME]
    return slug.rstrip("-")


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not in `taken` yet."""
    name, n = base, 2
    while name in taken:
        suffix = f"-{n}"
        name = base[: MAX_NAME - len(suffix)].rstrip("-") + suffix
        n += 1
    return name


def url_key(url: str) -> str:
    """A URL reduced for duplicate checks: case of scheme and host, default port, final '/'."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return urlunsplit((parts.scheme.lower(), host + port, parts.path.rstrip("/") or "/",
                       parts.query, ""))


@dataclass
class ImportPlan:
    """What importing an OPML file into the configured feeds would do."""

    added: list[tuple[str, OpmlFeed]] = field(default_factory=list)  # (new feed name, outline)
    skipped: list[tuple[OpmlFeed, str]] = field(default_factory=list)  # (outline, why)


def plan_import(doc: OpmlDocument, existing: Iterable[tuple[str, str]]) -> ImportPlan:
    """Name each new feed (slug of its title, made unique) and skip what is already there."""
    plan = ImportPlan()
    names = set()
    seen: dict[str, str] = {}
    for name, url in existing:
        names.add(name)
        seen[url_key(url)] = f'already configured as "{name}"'
    for feed in doc.feeds:
        scheme = urlsplit(feed.xml_url).scheme.lower()
        if scheme not in ("http", "https") or not urlsplit(feed.xml_url).hostname:
            plan.skipped.append((feed, "not an http(s) URL"))
            continue
        key = url_key(feed.xml_url)
        if key in seen:
            plan.skipped.append((feed, seen[key]))
            continue
        base = slugify(feed.title) or slugify(urlsplit(feed.xml_url).hostname or "") or "feed"
        name = unique_name(base, names)
        names.add(name)
        seen[key] = f'duplicate of "{name}" earlier in the file'
        plan.added.append((name, feed))
    return plan


def write_opml(feeds: list[tuple[str, str]], *, title: str = "Kashmir Mediation Monitor feeds",
               now: datetime | None = None) -> str:
    """OPML 2.0 for (name, url) pairs, one `<outline type="rss">` each."""
    now = now or datetime.now(UTC)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{escape(title)}</title>",
        f"    <dateCreated>{format_datetime(now, usegmt=True)}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for name, url in feeds:
        lines.append(f"    <outline type=\"rss\" text={quoteattr(name)} title={quoteattr(name)} "
                     f"xmlUrl={quoteattr(url)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
