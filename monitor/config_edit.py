"""Round-trip edits of config.toml: change feeds without losing the user's comments or layout.

Every edit is read → change the tomlkit document → validate the new text with the real loader →
write atomically (temp file in the same folder, fsync, os.replace, fsync the folder), so a crash
leaves either the old file or the new one, never half of one, and an invalid result is never
written at all.

Comments between `[[feeds]]` tables live, in tomlkit, at the end of the table above them. The
helpers below move them so that they stay where the user put them: a comment directly above a
table (no blank line between) belongs to that table and goes when it is removed; a comment
separated by a blank line (a section heading, "# Channels: ...") stays.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import tomlkit
from tomlkit.items import AoT, Comment, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from monitor.config import ChannelValidator, ConfigError, load_config
from monitor.config_records import Config

T = TypeVar("T")


class ConfigEditError(ConfigError):
    """The edit cannot be made; `problems` holds one printable line each."""


@dataclass(frozen=True)
class NewFeed:
    """A feed to add: the keys `feeds add` and `feeds import` write."""

    name: str
    url: str
    interval: int | str | None = None  # None: leave the default (no key written)


def edit_config(path: Path | str, change: Callable[[TOMLDocument], T], *,
                validate_channel: ChannelValidator | None = None) -> tuple[Config, T]:
    """Apply `change` to the document at `path`, validate, and write it atomically.

    Returns the validated new Config and whatever `change` returned. Raises ConfigEditError
    (the change refused, or the file changed underneath us) or ConfigError (the result would
    be invalid; nothing is written).
    """
    path = Path(os.path.realpath(path))  # edit a symlink's target, keep the link
    try:
        before = _read(path)
    except FileNotFoundError:
        raise ConfigEditError([f"{path}: no such config file (create one with "
                               f"`kashmir-monitor init {path}`)"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigEditError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) \
            from None
    try:
        doc = tomlkit.parse(before)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError([f"{path.name}: invalid TOML: {exc}"]) from None
    result = change(doc)
    after = tomlkit.dumps(doc)
    if "\r\n" in before:  # new lines come out as LF: keep a Windows-edited file all CRLF
        after = after.replace("\r\n", "\n").replace("\n", "\r\n")
    config = load_config(path, text=after, validate_channel=validate_channel)
    if _read(path) != before:  # another edit raced us: do not clobber it
        raise ConfigEditError([f"{path}: changed while being edited; nothing written, try again"])
    write_atomically(path, after)
    return config, result


def _read(path: Path) -> str:
    """The file's text with its line endings as they are (read_text would turn CRLF into LF)."""
    return path.read_bytes().decode("utf-8")


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old or the new file, never a mix."""
    path = Path(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; keep the user's permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:  # the rename itself must survive a power cut
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# -- the document's feeds -------------------------------------------------------------------

def feed_tables(doc: TOMLDocument) -> AoT | None:
    """The `[[feeds]]` array of tables, or None when the file has no feeds."""
    feeds = doc.get("feeds")
    if feeds is None or (isinstance(feeds, list) and not isinstance(feeds, AoT) and not feeds):
        return None
    if not isinstance(feeds, AoT):
        raise ConfigEditError(["feeds: written as an inline array; edit it by hand, or write "
                               "each feed as a [[feeds]] table"])
    return feeds


def find_feed(doc: TOMLDocument, name: str) -> int:
    """The index of feed `name`; ConfigEditError when there is none."""
    feeds = feed_tables(doc)
    for i, table in enumerate(feeds or []):
        if table.get("name") == name:
            return i
    known = ", ".join(str(t.get("name")) for t in feeds or []) or "none"
    raise ConfigEditError([f'no feed named "{name}" (feeds: {known})'])


def add_feeds(doc: TOMLDocument, new: list[NewFeed]) -> None:
    """Append feeds as [[feeds]] tables after the last one (before any comment that follows)."""
    feeds = feed_tables(doc)
    if feeds is None:
        feeds = tomlkit.aot()
        doc["feeds"] = feeds
    for feed in new:
        table = tomlkit.table()
        table.add("name", feed.name)
        table.add("url", feed.url)
        if feed.interval is not None:
            table.add("interval", feed.interval)
        if len(feeds):  # the last table's trailing comments head what follows: move them down
            last = feeds[-1]
            tail = _pop_tail(last)
            if not last.as_string().endswith("\n"):  # the file ended without a newline
                last.value.body.append((None, Whitespace("\n")))
            last.value.body.append((None, Whitespace("\n")))  # one blank line between tables
            feeds.append(table)
            for item in tail:
                table.value.body.append((None, item))
        else:
            feeds.append(table)


def remove_feed(doc: TOMLDocument, name: str) -> dict[str, Any]:
    """Remove feed `name`, with the comment directly above it; returns its keys."""
    feeds = feed_tables(doc)
    i = find_feed(doc, name)
    removed = feeds[i]
    keys = {k: v.unwrap() if hasattr(v, "unwrap") else v for k, v in removed.items()}
    tail = _pop_tail(removed)  # what followed it: the next table's heading comments
    if i > 0:
        above = feeds[i - 1]
        kept = _pop_tail(above)
        while kept and isinstance(kept[-1], Comment):  # the removed table's own comment
            kept.pop()
        while tail and kept and isinstance(kept[-1], Whitespace):
            kept.pop()
    else:  # what stands above the first feed is the section's heading: keep all of it
        above = _table_before(doc, "feeds")
        kept = _pop_tail(above) if above is not None else []
        while tail and isinstance(tail[0], Whitespace) and kept and isinstance(kept[-1], Comment):
            tail.pop(0)
    if above is not None:
        for item in kept + tail:
            above.value.body.append((None, item))
    del feeds[i]
    if not len(feeds):
        del doc["feeds"]
    return keys


def set_feed_enabled(doc: TOMLDocument, name: str, enabled: bool) -> bool:
    """Pause (`enabled = false`) or resume (drop the key) feed `name`; True if it changed."""
    table = feed_tables(doc)[find_feed(doc, name)]
    was = bool(table.get("enabled", True))
    if enabled and "enabled" in table:
        del table["enabled"]
    elif not enabled:
        if "enabled" in table:
            table["enabled"] = False
        else:  # insert before the trailing comments, so it stays inside this feed's block
            tail = _pop_tail(table)
            table.add("enabled", False)
            for item in tail:
                table.value.body.append((None, item))
    return was != enabled


def _pop_tail(table: Table) -> list:
    """Remove and return the trailing blank lines and comments of `table`'s body."""
    body = table.value.body
    tail = []
    while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace | Comment):
        tail.append(body.pop()[1])
    tail.reverse()
    return tail


def _table_before(doc: TOMLDocument, key: str) -> Table | None:
    """The table just before `key` in the document (it holds the comments above `key`)."""
    previous = None
    for k, item in doc.body:
        if k is not None and k.key == key:
            return previous if isinstance(previous, Table) else None
        if k is not None:
            previous = item
    return None
