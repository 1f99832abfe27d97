"""config.toml loading: the shipped config is valid; every problem is one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.app import builtin_config_text
from monitor.config import ConfigError, load_config, parse_duration, parse_rule

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return info.value.problems


def test_shipped_config_is_valid_and_embedded_copy_matches():
    config = load_config(ROOT / "config.toml")
    assert len(config.feeds) >= 5
    assert all(f.url.startswith("https://") for f in config.feeds)
    assert config.channels[0].type == "file"
    assert config.storage.path == ROOT / "kashmir-monitor.db"
    # the package carries a copy for `init` and for running without a config file
    assert builtin_config_text() == (ROOT / "config.toml").read_text(encoding="utf-8")


def test_durations():
    assert parse_duration(90) == 90
    assert parse_duration("30s") == 30
    assert parse_duration("15m") == 900
    assert parse_duration("2h") == 7200
    for bad in ("fast", "-5m", 0, "15x", True, "99999999999d", 10**12):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_all_problems_reported_at_once_one_line_each(tmp_path):
    lines = problems(tmp_path, """
[storage]
path = "x.db"
keep_dayz = 3

[[feeds]]
name = "Bad Name"
url = "ftp://example.org/feed"
interval = "soon"

[[feeds]]
name = "ok-feed"
url = "https://example.org/rss"

[[feeds]]
name = "ok-feed"
url = "https://example.org/rss2"

[[channels]]
name = "mail"
type = "file"
schedule = "0 7 * *"
min_score = 2
immediate = "yes"
""")
    text = "\n".join(lines)
    assert 'config.toml: storage.keep_dayz: unknown key (did you mean "keep_days"?)' in lines
    assert "config.toml: feeds[0].name: expected lower-case letters" in text
    assert "config.toml: feeds[0].url: expected an http(s) or file:// URL" in text
    assert 'config.toml: feeds[0].interval: expected seconds or a duration like "15m", got "soon"' in lines
    assert 'config.toml: feeds[2].name: duplicate feed name "ok-feed"' in lines
    assert "config.toml: channels[0].schedule: expected a 5-field cron expression" in text
    assert "config.toml: channels[0].min_score: expected a number from 0 to 1, got 2.0" in lines
    assert 'config.toml: channels[0].immediate: expected true or false, got "yes"' in lines
    assert all("\n" not in line and line.startswith("config.toml: ") for line in lines)


def test_env_references_expand_and_missing_ones_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("KM_FEED_HOST", "feeds.example.org")
    config = load_config(write(tmp_path, """
[[feeds]]
name = "a"
url = "https://${KM_FEED_HOST}/rss"
"""))
    assert config.feeds[0].url == "https://feeds.example.org/rss"
    monkeypatch.delenv("KM_NOT_SET_ANYWHERE", raising=False)
    lines = problems(tmp_path, '[storage]\npath = "${KM_NOT_SET_ANYWHERE}"\n')
    assert lines == ["config.toml: storage.path: environment variable KM_NOT_SET_ANYWHERE is not set"]


def test_unknown_top_level_and_bad_toml(tmp_path):
    assert problems(tmp_path, "[feed]\n") == [
        'config.toml: feed: unknown key (did you mean "feeds"?)']
    (line,) = problems(tmp_path, "[storage\npath=1")
    assert line.startswith("config.toml: invalid TOML:")


def test_rules_parse_and_bad_regex_is_a_config_error(tmp_path):
    assert parse_rule("title=(?i)cricket").field == "title"
    assert parse_rule("age>30d").pattern == ">30d"
    lines = problems(tmp_path, """
[filters]
block = ["title=(unclosed", "colour=red"]
""")
    assert lines[0].startswith("config.toml: filters.block[0]: invalid regex")
    assert lines[1].startswith('config.toml: filters.block[1]: unknown field "colour"')


def test_relative_paths_resolve_against_config_folder(tmp_path):
    sub = tmp_path / "etc"
    sub.mkdir()
    config = load_config(write(sub, '[storage]\npath = "data/km.db"\n'))
    assert config.storage.path == sub / "data" / "km.db"


def test_cli_bad_config_exits_2_with_one_line_per_problem_and_no_traceback(tmp_path):
    path = write(tmp_path, '[[channels]]\nname = "m"\ntype = "file"\nmin_score = "high"\n')
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(path), "check-config"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert 'config.toml: channels[0].min_score: expected a number, got "high"' in proc.stderr


def test_channel_names_are_plain_because_they_name_files(tmp_path):
    lines = problems(tmp_path, '[[channels]]\nname = "../../etc/x"\ntype = "file"\n'
                               'directory = "d"\n')
    assert lines == ["config.toml: channels[0].name: expected lower-case letters, digits and "
                     "'-', got \"../../etc/x\""]
