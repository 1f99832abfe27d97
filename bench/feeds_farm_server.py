"""A fast local feed farm for the feeds benchmarks: a minimal asyncio HTTP/1.1 server (keep-alive,
ETag/304) on 127.0.0.1, run in its own process so it does not share our GIL.

    python bench/feeds_farm_server.py farm --feeds 1000 --items 30      # /feed/<n>, /plain/<n>
    python bench/feeds_farm_server.py corpus DIR                        # /<relative path>

It prints its port on the first line of stdout. /plain/<n> serves the same body as /feed/<n>
without validators (so only our body hash can tell it is unchanged).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import re
import sys
from email.utils import formatdate
from pathlib import Path

HEADLINES = Path("/work/shared/corpora/headlines/thehindu_national_rss_2025-07-14_to_21.jsonl")
_HEADER_COMMENT = re.compile(rb"^Header:\s+([^:]+):(.*)$", re.MULTILINE)


def _headline_pool() -> list[tuple[str, str]]:
    """Real headlines and summaries when the shared corpus is present, else synthetic text."""
    if HEADLINES.exists():
        rows = [json.loads(line) for line in HEADLINES.read_text(encoding="utf-8").splitlines()]
        return [(r["title"], r.get("summary") or r["title"]) for r in rows if r.get("title")]
    rng = random.Random(1)
    words = ["india", "pakistan", "kashmir", "talks", "border", "minister", "offer", "envoy"]
    return [(" ".join(rng.choices(words, k=9)).capitalize(), " ".join(rng.choices(words, k=30)))
            for _ in range(2000)]


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def farm_feed(n: int, items: int, pool: list[tuple[str, str]]) -> bytes:
    """Feed number n: an RSS 2.0 document with `items` entries (HTML descriptions)."""
    out = [f"<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel>"
           f"<title>Farm feed {n}</title><link>http://farm.example/{n}</link>"
           f"<description>Feed {n}</description>"]
    for i in range(items):
        title, summary = pool[(n * items + i) % len(pool)]
        out.append(
            f"<item><title>{esc(title)}</title>"
            f"<link>https://farm.example/{n}/story-{i}?utm_source=rss&amp;id={i}</link>"
            f"<guid isPermaLink='false'>farm-{n}-{i}-{hashlib.md5(title.encode()).hexdigest()[:8]}</guid>"
            f"<description>{esc('<p>' + esc(summary) + ' <a href=/x>more</a></p>')}</description>"
            f"<category>News</category><author>desk@farm.example (Desk)</author>"
            f"<pubDate>{formatdate(1747036800 + n * 60 + i * 3600, usegmt=True)}</pubDate></item>")
    out.append("</channel></rss>")
    return "".join(out).encode("utf-8")


def farm_routes(feeds: int, items: int) -> dict[str, tuple[bytes, dict[str, str], str | None]]:
    pool = _headline_pool()
    routes = {}
    for n in range(feeds):
        body = farm_feed(n, items, pool)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        head = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag}
        routes[f"/feed/{n}"] = (body, head, etag)
        routes[f"/plain/{n}"] = (body, {"Content-Type": "application/rss+xml; charset=utf-8"}, None)
    return routes


def corpus_routes(folder: Path) -> dict[str, tuple[bytes, dict[str, str], str | None]]:
    """Each XML file at its relative path, with the headers its leading comment asks for."""
    routes = {}
    for path in sorted(folder.rglob("*.xml")):
        body = path.read_bytes()
        headers = {"Content-Type": "text/xml"}
        for name, value in _HEADER_COMMENT.findall(body[:2000]):
            name = name.decode("latin-1").strip()
            if name.lower() in ("content-length", "transfer-encoding", "content-encoding"):
                continue
            headers["Content-Type" if name.lower() == "content-type" else name] = (
                value.decode("latin-1").strip())
        routes["/" + path.relative_to(folder).as_posix()] = (body, headers, None)
    return routes


def serve(routes: dict[str, tuple[bytes, dict[str, str], str | None]]) -> None:
    responses = {}
    for path, (body, headers, etag) in routes.items():
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        full = (f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{head}\r\n").encode() + body
        not_modified = f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode() if etag else None
        responses[path] = (full, etag, not_modified)
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                path = lines[0].split(b" ")[1].decode("latin-1").split("?", 1)[0]
                inm = next((line.split(b":", 1)[1].strip().decode("latin-1") for line in lines[1:]
                            if line[:14].lower() == b"if-none-match:"), None)
                entry = responses.get(path)
                if entry is None:
                    writer.write(missing)
                elif entry[1] and inm == entry[1]:
                    writer.write(entry[2])
                else:
                    writer.write(entry[0])
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    farm = sub.add_parser("farm")
    farm.add_argument("--feeds", type=int, default=1000)
    farm.add_argument("--items", type=int, default=30)
    corpus = sub.add_parser("corpus")
    corpus.add_argument("folder", type=Path)
    args = parser.parse_args()
    serve(farm_routes(args.feeds, args.items) if args.mode == "farm" else corpus_routes(args.folder))
    sys.exit(0)
