"""Reads the shared real headline corpora (title, summary) for the matcher's benchmarks.

The corpora live outside the repository (../shared/corpora/headlines); nothing is copied in.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

HEADLINES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "headlines"


def _records(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        if path.name.endswith(".jsonl"):
            for line in handle:
                if line.strip():
                    yield json.loads(line)
            return
        data = json.load(handle)
    yield from data["items"] if isinstance(data, dict) else data


def corpus_items(folder: Path = HEADLINES) -> Iterator[tuple[str, str, str]]:
    """(source file, title, summary) for every item of every corpus file."""
    for path in sorted(folder.iterdir()):
        if not path.name.endswith((".jsonl", ".json", ".json.gz")):
            continue
        for record in _records(path):
            title = record.get("title") or ""
            summary = record.get("summary") or record.get("description") or ""
            yield path.name, title, summary
