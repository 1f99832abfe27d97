"""Watchlist-aware channel rules (min_score, actors, stances, shifts_only) through the real
pipeline: local feed → poll → digest → file channels, then what each channel carried."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

INDIA_SHIFT = "India signals it could accept Russian mediation on Kashmir"
INDIA_REJECTS = "India says Kashmir is a bilateral matter, rejects third-party mediation"
PAKISTAN_WELCOMES = "Islamabad welcomes Russian offer of mediation over Kashmir"
TURKEY_OFFERS = "Turkey offers to mediate between Pakistan and India over Kashmir"
CRICKET = "India beat Pakistan by six wickets in Asia Cup thriller"


def km(config: Path, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def channel(name: str, **keys) -> str:
    lines = ["[[channels]]", f'name = "{name}"', 'type = "file"', f'directory = "out-{name}"']
    keys.setdefault("immediate", True)
    for key, value in keys.items():
        text = str(value).lower() if isinstance(value, bool) else (
            "[" + ", ".join(f'"{v}"' for v in value) + "]" if isinstance(value, list) else value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def carried(tmp_path: Path) -> dict[tuple[str, str], set[str]]:
    """(channel, kind) → the titles (digest) or actors (alert) it delivered."""
    out: dict[tuple[str, str], set[str]] = {}
    with sqlite3.connect(tmp_path / "km.db") as db:
        for name, kind, title, actor in db.execute(
                "SELECT d.channel, d.kind, a.title, d.actor FROM delivery_items d "
                "JOIN articles a ON a.id = d.article_id"):
            out.setdefault((name, kind), set()).add(title if kind == "digest" else actor)
    return out


def test_each_channel_carries_only_what_its_rules_ask_for(httpserver, tmp_path):
    httpserver.expect_request("/wire.xml").respond_with_data(
        (FIXTURES / "channels-wire.rss.xml").read_bytes(), content_type="application/xml")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "km.db"\n\n[[feeds]]\nname = "channels-wire"\n'
        f'url = "{httpserver.url_for("/wire.xml")}"\n\n'
        + channel("india-shifts", min_score=0.0, actors=["india"], shifts_only=True)
        + channel("pakistan-welcomes", actors=["pakistan"], stances=["welcomes_mediation"])
        + channel("shift-digest", min_score=0.0, shifts_only=True, immediate=False)
        + channel("shift-alerts", min_score=0.0, shifts_only=True)
        + channel("everything", min_score=0.0)
        + channel("nothing-scores-this-high", min_score=1.0, actors=["china"]))
    assert "5 new articles (4 relevant)" in km(config, "poll")
    km(config, "digest")
    got = carried(tmp_path)

    assert got[("india-shifts", "digest")] == {INDIA_SHIFT}
    assert got[("india-shifts", "alert")] == {"india"}
    assert got[("pakistan-welcomes", "digest")] == {PAKISTAN_WELCOMES}
    assert ("pakistan-welcomes", "alert") not in got  # Pakistan's welcome is its baseline
    assert got[("shift-digest", "digest")] == {INDIA_SHIFT}
    assert ("shift-digest", "alert") not in got  # immediate = false
    assert got[("shift-alerts", "alert")] == {"india"}  # Turkey's offer is no shift
    assert got[("everything", "digest")] == {INDIA_SHIFT, INDIA_REJECTS, PAKISTAN_WELCOMES,
                                             TURKEY_OFFERS}
    assert got[("everything", "alert")] == {"india", "turkey"}  # a shift and a new mediator
    assert not any(name == "nothing-scores-this-high" for name, _ in got)

    digest = next((tmp_path / "out-india-shifts").glob("*digest*.txt")).read_text()
    assert INDIA_SHIFT in digest and PAKISTAN_WELCOMES not in digest and CRICKET not in digest
