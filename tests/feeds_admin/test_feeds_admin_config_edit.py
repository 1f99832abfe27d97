"""`feeds add/remove/pause/resume` edit the real config file: comments kept, result valid,
invalid results never written, writes atomic."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from conftest import BASE_CONFIG

from monitor.config import load_config
from monitor.config_edit import ConfigEditError, NewFeed, add_feeds, edit_config, write_atomically


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


def test_add_appends_a_table_after_the_last_feed_and_keeps_every_comment(config_file, run_cli):
    result = run_cli(config_file, "feeds", "add", "geo-news", "https://geo.example.org/rss",
                     "--interval", "30m")
    assert result.exit_code == 0, result.output
    assert 'Added feed "geo-news"' in result.output
    text = config_file.read_text()
    assert comments(text) == comments(BASE_CONFIG)
    # the new table sits after the last feed, above the channels' heading comment
    assert text.index('name = "geo-news"') < text.index("# Where the digests go")
    assert text.index('name = "hindu"') < text.index('name = "geo-news"')
    assert '[[feeds]]\nname = "geo-news"\nurl = "https://geo.example.org/rss"\ninterval = "30m"\n' \
        in text
    config = load_config(config_file)
    assert [(f.name, f.interval) for f in config.feeds] == [
        ("dawn", 900), ("hindu", 900), ("geo-news", 1800)]


def test_remove_drops_the_feed_with_its_own_comment_and_keeps_section_headings(config_file,
                                                                               run_cli):
    result = run_cli(config_file, "feeds", "remove", "hindu")
    assert result.exit_code == 0, result.output
    text = config_file.read_text()
    assert "hindu" not in text
    assert "# The Hindu's national desk" not in text  # directly above it: its own
    assert "# Indian press" in text  # a heading separated by a blank line stays
    assert "# Where the digests go\n[[channels]]" in text
    assert [f.name for f in load_config(config_file).feeds] == ["dawn"]


def test_removing_the_first_feed_keeps_the_heading_above_it(config_file, run_cli):
    assert run_cli(config_file, "feeds", "remove", "dawn").exit_code == 0
    text = config_file.read_text()
    assert "# Pakistani press" in text and "paper of record" not in text
    assert text.endswith(BASE_CONFIG[BASE_CONFIG.index("# Indian press"):])
    assert [f.name for f in load_config(config_file).feeds] == ["hindu"]


def test_pause_writes_enabled_false_and_resume_removes_it(config_file, run_cli):
    result = run_cli(config_file, "feeds", "pause", "dawn")
    assert result.exit_code == 0 and "Paused feed" in result.output
    paused = config_file.read_text()
    assert 'interval = "15m"\nenabled = false\n\n# Indian press' in paused
    assert not next(f for f in load_config(config_file).feeds if f.name == "dawn").enabled
    assert "already paused" in run_cli(config_file, "feeds", "pause", "dawn").output

    result = run_cli(config_file, "feeds", "resume", "dawn")
    assert result.exit_code == 0, result.output
    assert config_file.read_text() == BASE_CONFIG  # byte for byte what the user wrote


def test_add_then_remove_restores_the_file_byte_for_byte(config_file, run_cli):
    assert run_cli(config_file, "feeds", "add", "x", "https://x.example.org/").exit_code == 0
    assert run_cli(config_file, "feeds", "remove", "x").exit_code == 0
    assert config_file.read_text() == BASE_CONFIG


@pytest.mark.parametrize("args, message, code", [
    (["add", "Bad Name", "https://a.example.org/"],
     "feeds[2].name: expected lower-case letters, digits and '-'", 2),
    (["add", "fine", "ftp://a.example.org/"], "feeds[2].url: expected an http(s)", 2),
    (["add", "fine", "https://a.example.org/", "--interval", "soon"],
     'feeds[2].interval: expected seconds or a duration like "15m", got "soon"', 2),
    (["add", "dawn", "https://other.example.org/"], 'a feed named "dawn" already exists', 1),
    (["add", "dawn-again", "HTTPS://DAWN.example.org/feed/"],
     'is already configured as "dawn"', 1),
    (["remove", "nope"], 'no feed named "nope" (feeds: dawn, hindu)', 1),
    (["pause", "nope"], 'no feed named "nope"', 1),
])
def test_refused_or_invalid_edits_leave_the_file_untouched(config_file, run_cli, args, message,
                                                           code):
    before = config_file.stat().st_mtime_ns, config_file.read_bytes()
    result = run_cli(config_file, "feeds", *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert (config_file.stat().st_mtime_ns, config_file.read_bytes()) == before
    assert list(config_file.parent.iterdir()) == [config_file]  # no temp file left behind


def test_an_already_invalid_config_is_not_rewritten(config_file, run_cli):
    config_file.write_text(BASE_CONFIG.replace('directory = "digests"',
                                               'directory = "digests"\nsmtp_prot = 25'))
    before = config_file.read_bytes()
    result = run_cli(config_file, "feeds", "add", "geo", "https://geo.example.org/rss")
    assert result.exit_code == 2
    assert "channels[0].smtp_prot" in result.output
    assert config_file.read_bytes() == before


def test_editing_a_missing_file_says_how_to_create_one(tmp_path, run_cli):
    missing = tmp_path / "nowhere.toml"
    result = run_cli(missing, "feeds", "add", "geo", "https://geo.example.org/rss")
    assert result.exit_code == 1
    assert "no such config file" in result.output and "kashmir-monitor init" in result.output
    assert not missing.exists()


def test_first_feed_in_a_config_without_feeds(tmp_path, run_cli):
    path = tmp_path / "config.toml"
    path.write_text("# empty for now\n[storage]\npath = \"x.db\"\n")
    assert run_cli(path, "feeds", "add", "one", "https://one.example.org/").exit_code == 0
    assert [f.name for f in load_config(path).feeds] == ["one"]
    assert path.read_text().startswith("# empty for now\n")
    assert run_cli(path, "feeds", "remove", "one").exit_code == 0
    assert load_config(path).feeds == ()


def test_write_keeps_permissions_and_symlinks(config_file, run_cli):
    real = config_file.with_name("real.toml")
    config_file.rename(real)
    os.chmod(real, 0o640)
    config_file.symlink_to(real.name)
    assert run_cli(config_file, "feeds", "add", "geo", "https://geo.example.org/rss").exit_code == 0
    assert config_file.is_symlink()  # the link still points at the edited file
    assert "geo" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_an_edit_racing_another_writer_is_refused(config_file):
    def change(doc):
        add_feeds(doc, [NewFeed("geo", "https://geo.example.org/rss")])
        config_file.write_text(BASE_CONFIG + "\n# edited by hand meanwhile\n")

    with pytest.raises(ConfigEditError, match="changed while being edited"):
        edit_config(config_file, change)
    assert config_file.read_text().endswith("# edited by hand meanwhile\n")


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from monitor.config_edit import write_atomically
    path, a, b = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), Path(sys.argv[3]).read_text()
    print("ready", flush=True)
    while True:
        write_atomically(path, a)
        write_atomically(path, b)
""")


def test_a_killed_writer_never_leaves_a_half_written_config(tmp_path):
    """A writer is killed (SIGKILL) while rewriting a large config in a loop; every read, and
    the file afterwards, is exactly the old or the new text, never a mix."""
    old = BASE_CONFIG + "".join(f"# padding line {i}\n" for i in range(40_000))
    new = old.replace("# padding", "# PADDING")
    path, a, b = tmp_path / "config.toml", tmp_path / "a", tmp_path / "b"
    path.write_text(old)
    a.write_text(old)
    b.write_text(new)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(a), str(b)],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert writer.stdout.readline().strip() == "ready"
        seen = set()
        for _ in range(300):
            text = path.read_text()
            assert text in (old, new), "a reader saw a half-written config"
            seen.add(text[-40:])
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert path.read_text() in (old, new)
    tomllib.loads(path.read_text())
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".config.toml.")]
    assert len(leftovers) <= 1  # at most the one temp file the kill interrupted, never renamed
    assert len(seen) >= 1


def test_write_atomically_cleans_up_when_the_write_fails(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("old = 1\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "bad = '\udc80'\n")  # a lone surrogate cannot be encoded
    assert path.read_text() == "old = 1\n"
    assert list(tmp_path.iterdir()) == [path]


def test_a_file_without_a_final_newline_gets_a_blank_line_between_tables(tmp_path, run_cli):
    path = tmp_path / "config.toml"
    path.write_text('[[feeds]]\nname = "a"\nurl = "https://a.example.org/"')
    assert run_cli(path, "feeds", "add", "b", "https://b.example.org/").exit_code == 0
    assert path.read_text() == ('[[feeds]]\nname = "a"\nurl = "https://a.example.org/"\n\n'
                                '[[feeds]]\nname = "b"\nurl = "https://b.example.org/"\n')


def test_crlf_files_stay_crlf(tmp_path, run_cli):
    path = tmp_path / "config.toml"
    original = BASE_CONFIG.replace("\n", "\r\n")
    path.write_bytes(original.encode())
    assert run_cli(path, "feeds", "add", "b", "https://b.example.org/").exit_code == 0
    edited = path.read_bytes().decode()
    assert "\n" not in edited.replace("\r\n", "")
    assert run_cli(path, "feeds", "remove", "b").exit_code == 0
    assert path.read_bytes().decode() == original


def test_comments_inside_a_feed_table_survive_edits_of_another(config_file, run_cli):
    text = BASE_CONFIG.replace('interval = "15m"\n', 'interval = "15m"\nblock = [\n'
                               '  "title=(?i)cricket",   # sport\n  "age>30d",  # stale\n]\n')
    config_file.write_text(text)
    assert run_cli(config_file, "feeds", "pause", "hindu").exit_code == 0
    assert run_cli(config_file, "feeds", "resume", "hindu").exit_code == 0
    assert config_file.read_text() == text
    assert [r.field for r in load_config(config_file).feeds[0].block] == ["title", "age"]


def test_a_config_that_is_not_utf8_is_refused_in_one_line(tmp_path, run_cli):
    path = tmp_path / "config.toml"
    path.write_bytes(b'# caf\xe9\n[[feeds]]\nname = "a"\nurl = "https://a.example.org/"\n')
    result = run_cli(path, "feeds", "add", "b", "https://b.example.org/")
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.output and "Traceback" not in result.output
