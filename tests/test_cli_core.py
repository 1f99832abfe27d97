"""The core CLI contract: init, check-config, match, eval, the built-in default config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import cli


def invoke(*args: str, input: str | None = None, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_init_writes_a_valid_commented_config_and_never_overwrites(tmp_path):
    path = tmp_path / "my.toml"
    assert "Wrote" in invoke("init", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Kashmir Mediation Monitor") and "[[feeds]]" in text
    out = invoke("--config", str(path), "check-config")
    assert "OK" in out and "dawn-pakistan" in out and "daily-digest" in out
    assert "india (rejects_mediation)" in out and "russia (offers_mediation)" in out
    assert "already exists" in invoke("init", str(path), code=1)
    assert path.read_text(encoding="utf-8") == text


def test_match_prints_one_json_line_per_input_in_order():
    lines = "\n".join(json.dumps(item) for item in [
        {"id": "a", "title": "Moscow offers to mediate between India and Pakistan on Kashmir"},
        {"id": "b", "title": "Snowfall closes the Srinagar highway", "summary": "Kashmir freezes."},
        {"title": "Pakistan welcomes offer of mediation on Kashmir"},
    ])
    out = [json.loads(line) for line in invoke("match", input=lines + "\n").splitlines()]
    assert [o["id"] for o in out] == ["a", "b", None]
    assert out[0]["relevant"] and not out[1]["relevant"]
    assert {"actor": "russia", "stance": "offers_mediation"}.items() <= out[0]["mentions"][0].items()
    assert set(out[0]) == {"id", "relevant", "score", "mentions", "topics"}
    assert 0.0 <= out[1]["score"] <= 1.0
    assert "line 2" in invoke("match", input='{"title": "x"}\nnot json\n', code=1)


def test_eval_reports_the_guideline_metrics(tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("\n".join(json.dumps(item) for item in [
        {"id": "1", "title": "Russia offers to mediate between India and Pakistan on Kashmir",
         "summary": "", "relevant": True, "stances": {"russia": "offers_mediation"}},
        {"id": "2", "title": "India rejects third-party mediation on Kashmir", "summary": "",
         "relevant": True, "stances": {"india": "rejects_mediation"}},
        {"id": "3", "title": "India beat Pakistan in the Asia Cup final", "summary": "",
         "relevant": False, "stances": {}},
    ]) + "\n", encoding="utf-8")
    report = json.loads(invoke("eval", str(labelled), "--format", "json"))
    assert {k: report["relevance"][k] for k in ("precision", "recall", "f1")} == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["items"] == 3
    assert report["stance_accuracy"] == 1.0 and report["stance_precision"] == 1.0
    assert "precision" in invoke("eval", str(labelled)).lower()


def test_without_a_config_file_the_built_in_default_is_used(tmp_path):
    env = {"PATH": "", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "monitor", "check-config"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "google-news-kashmir-mediation" in proc.stdout
    assert f"database: {Path(tmp_path) / 'kashmir-monitor.db'}" in proc.stdout
    assert not (tmp_path / "config.toml").exists()  # nothing written behind the user's back


def test_cron_reads_sunday_as_0_or_7_and_rejects_nonsense(tmp_path):
    from monitor.config import ConfigError, load_config

    path = tmp_path / "c.toml"
    path.write_text('[[channels]]\nname = "w"\ntype = "file"\ndirectory = "d"\n'
                    'schedule = "0 7 * * 7"\n', encoding="utf-8")
    assert load_config(path).channels[0].schedule == "0 7 * * 7"
    path.write_text(path.read_text().replace("* * 7", "* * 9"), encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        assert exc.problems[0].startswith("c.toml: channels[0].schedule: invalid cron expression")
    else:
        raise AssertionError("day of week 9 accepted")


def test_run_once_beside_a_running_daemon_exits_3_without_traceback(tmp_path):
    from monitor.lock import DaemonLock

    config = tmp_path / "config.toml"
    config.write_text('[storage]\npath = "km.db"\n', encoding="utf-8")
    with DaemonLock(tmp_path / "km.db"):
        proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run",
                               "--once"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "km.db" in proc.stderr
