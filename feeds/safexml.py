"""Defusing a feed's DOCTYPE before feedparser sees it.

feedparser 6 already turns off external general entities in its expat reader and strips
DOCTYPEs with a line-based regex, and expat >= 2.4 limits entity amplification. That regex is
easy to sidestep (a one-line internal subset, a `>` inside a quoted value), so we do not rely on
it: every DOCTYPE is parsed here and rebuilt with only harmless declarations, one per line:

- kept: `<!ENTITY name "literal">` whose value holds no entity reference (character references
  such as `&#233;` are fine), no `%` and no markup, at most 64 of them, each at most 1 KiB, and
  only while all their references in the body together expand to at most MAX_EXPANSION bytes
  (a 1 KiB value referenced 200,000 times is a bomb without any nesting; expat stops it, but
  feedparser's lenient fallback parser then expands it regardless);
- dropped, with a warning: external entities (SYSTEM/PUBLIC: XXE, local files), parameter
  entities, entities that reference other entities (billion laughs), the DTD's own external id
  (except the Netscape RSS 0.91 one, which feedparser uses to tell the version), and everything
  else in the internal subset (ELEMENT, ATTLIST, NOTATION, comments, PIs).
"""

from __future__ import annotations

import codecs
import re

MAX_ENTITIES = 64
MAX_ENTITY_VALUE = 1024
MAX_EXPANSION = 1 << 20  # bytes all kept entity references may add to the document

_NAME = re.compile(rb"[A-Za-z_:][\w.:-]*")
_CHAR_REF = re.compile(rb"&#(?:\d+|x[0-9A-Fa-f]+);")
_ENCODING_DECL = re.compile(rb"(<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
_WIDE_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)


class Defused:
    """The screened body and what was done to it."""

    __slots__ = ("body", "warnings", "transcoded")

    def __init__(self, body: bytes, warnings: list[str], transcoded: bool) -> None:
        self.body = body
        self.warnings = warnings
        self.transcoded = transcoded  # re-encoded as UTF-8: the declared charset no longer holds


def defuse(body: bytes) -> Defused:
    """Return the body with any DOCTYPE rebuilt from safe parts only (see module docstring)."""
    codec = _wide_codec(body)
    if codec is None:
        if b"<!DOCTYPE" not in body or _doctype_start(body) < 0:  # common case: one C scan
            return Defused(body, [], False)
        cleaned, warnings = _rebuild_doctype(body)
        return Defused(cleaned, warnings, False)
    # UTF-16/32: the ASCII patterns below do not match interleaved zero bytes, so look at the
    # text; only when there is a DOCTYPE do we pay for re-encoding the document as UTF-8.
    text = body.decode(codec, errors="replace").lstrip("\ufeff")
    if "<!DOCTYPE" not in text:
        return Defused(body, [], False)
    utf8 = _ENCODING_DECL.sub(rb"\1\2utf-8\2", text.encode("utf-8"), count=1)
    if _doctype_start(utf8) < 0:
        return Defused(body, [], False)
    cleaned, warnings = _rebuild_doctype(utf8)
    return Defused(cleaned, warnings, True)


def _wide_codec(body: bytes) -> str | None:
    for bom, codec in _WIDE_BOMS:
        if body.startswith(bom):
            return codec
    for start, codec in _WIDE_STARTS:
        if body.startswith(start):
            return codec
    return None


def _doctype_start(body: bytes) -> int:
    """Where the DOCTYPE starts if it sits in the prolog (before the root element), else -1;
    "<!DOCTYPE" inside an element's text or CDATA is just text."""
    i = 0
    while True:
        i = _skip_space(body, i)
        if body.startswith(b"\xef\xbb\xbf", i):
            i += 3
        elif body.startswith(b"<?", i):
            end = body.find(b"?>", i + 2)
            if end < 0:
                return -1
            i = end + 2
        elif body.startswith(b"<!--", i):
            end = body.find(b"-->", i + 4)
            if end < 0:
                return -1
            i = end + 3
        elif body.startswith(b"<!DOCTYPE", i):
            return i
        elif i < len(body) and body[i : i + 1] != b"<":
            i = body.find(b"<", i)  # stray text before the root (a broken feed); keep looking
            if i < 0:
                return -1
        else:
            return -1


def _rebuild_doctype(body: bytes) -> tuple[bytes, list[str]]:
    start = _doctype_start(body)
    parsed = _parse_doctype(body, start)
    if parsed is None:
        # Unterminated or garbled: drop it up to the first element so nothing of it reaches expat.
        root = re.compile(rb"<[A-Za-z_]").search(body, start + 9)
        end = root.start() if root else len(body)
        return body[:start] + body[end:], ["malformed DOCTYPE removed"]
    end, name, external_id, subset = parsed
    kept, dropped = _safe_entities(subset)
    if kept and _expansion(body[end:], kept) > MAX_EXPANSION:
        dropped += ["entity expansion over the limit"] * len(kept)
        kept = []
    warnings = []
    if dropped:
        warnings.append(f"unsafe DTD declarations removed: {', '.join(sorted(set(dropped)))}")
    keep_id = external_id if b"netscape" in external_id.lower() else b""
    if external_id and not keep_id:
        warnings.append("external DTD reference removed")
    if not kept and not keep_id:
        return body[:start] + body[end:], warnings
    parts = [b"<!DOCTYPE " + name + (b" " + keep_id if keep_id else b"")]
    if kept:
        parts.append(b" [\n" + b"".join(b"<!ENTITY %s \"%s\">\n" % pair for pair in kept) + b"]")
    return body[:start] + b"\n" + b"".join(parts) + b">\n" + body[end:], warnings


def _expansion(document: bytes, entities: list[tuple[bytes, bytes]]) -> int:
    """Bytes the references to `entities` in `document` would add when expanded."""
    return sum(document.count(b"&" + name + b";") * len(value) for name, value in entities)


def _skip_space(data: bytes, i: int) -> int:
    while i < len(data) and data[i] in b" \t\r\n":
        i += 1
    return i


def _quoted(data: bytes, i: int) -> tuple[bytes, int] | None:
    """A quoted literal at i: (its content, the index after it)."""
    if i >= len(data) or data[i] not in b"\"'":
        return None
    close = data.find(data[i : i + 1], i + 1)
    if close < 0:
        return None
    return data[i + 1 : close], close + 1


def _parse_doctype(data: bytes, start: int) -> tuple[int, bytes, bytes, bytes] | None:
    """(end index, root name, external id text, internal subset) of the DOCTYPE at start."""
    i = _skip_space(data, start + len(b"<!DOCTYPE"))
    name = _NAME.match(data, i)
    if not name:
        return None
    i = _skip_space(data, name.end())
    id_start = i
    for keyword, literals in ((b"PUBLIC", 2), (b"SYSTEM", 1)):
        if data.startswith(keyword, i):
            i += len(keyword)
            for _ in range(literals):
                literal = _quoted(data, _skip_space(data, i))
                if literal is None:
                    return None
                i = literal[1]
            break
    external_id = data[id_start:i].strip()
    i = _skip_space(data, i)
    subset = b""
    if i < len(data) and data[i : i + 1] == b"[":
        subset_start = i + 1
        i = subset_start
        while i < len(data) and data[i : i + 1] != b"]":  # skip quoted literals and comments
            if data[i] in b"\"'":
                literal = _quoted(data, i)
                if literal is None:
                    return None
                i = literal[1]
            elif data.startswith(b"<!--", i):
                close = data.find(b"-->", i + 4)
                if close < 0:
                    return None
                i = close + 3
            else:
                i += 1
        if i >= len(data):
            return None
        subset = data[subset_start:i]
        i = _skip_space(data, i + 1)
    if i >= len(data) or data[i : i + 1] != b">":
        return None
    return i + 1, name.group(), external_id, subset


def _safe_entities(subset: bytes) -> tuple[list[tuple[bytes, bytes]], list[str]]:
    """Split the internal subset's declarations into safe general entities and dropped kinds."""
    kept: list[tuple[bytes, bytes]] = []
    dropped: list[str] = []
    i = 0
    while i < len(subset):
        if subset.startswith(b"<!--", i):
            close = subset.find(b"-->", i + 4)
            i = len(subset) if close < 0 else close + 3
            continue
        if not subset.startswith(b"<!ENTITY", i):
            if subset.startswith(b"<!", i) or subset.startswith(b"<?", i) or subset[i:i + 1] == b"%":
                dropped.append("other declarations")
                i = _end_of_declaration(subset, i)
            else:
                i += 1
            continue
        end = _end_of_declaration(subset, i)
        kind = _classify_entity(subset[i + len(b"<!ENTITY") : end - 1])
        if isinstance(kind, tuple) and len(kept) < MAX_ENTITIES:
            kept.append(kind)
        else:
            dropped.append(kind if isinstance(kind, str) else "too many entities")
        i = end
    return kept, dropped


def _end_of_declaration(subset: bytes, i: int) -> int:
    """Index after the `>` closing the declaration at i, skipping quoted literals."""
    while i < len(subset):
        char = subset[i : i + 1]
        if char in (b'"', b"'"):
            literal = _quoted(subset, i)
            i = len(subset) if literal is None else literal[1]
        elif char == b">":
            return i + 1
        else:
            i += 1
    return len(subset)


def _classify_entity(declaration: bytes) -> tuple[bytes, bytes] | str:
    i = _skip_space(declaration, 0)
    if declaration[i : i + 1] == b"%":
        return "parameter entity"
    name = _NAME.match(declaration, i)
    if not name:
        return "malformed entity"
    i = _skip_space(declaration, name.end())
    if declaration.startswith((b"SYSTEM", b"PUBLIC"), i):
        return "external entity"
    literal = _quoted(declaration, i)
    if literal is None or declaration[literal[1] :].strip():
        return "malformed entity"
    value = literal[0]
    if len(value) > MAX_ENTITY_VALUE:
        return "oversized entity"
    if b"%" in value or b"<" in value or b"&" in _CHAR_REF.sub(b"", value):
        return "entity with references"
    if b'"' in value:
        return "malformed entity"
    return name.group(), value
