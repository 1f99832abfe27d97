"""OPML as Miniflux, FreshRSS and Feedly write it: import, export, round trip, hostile files."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from feeds.opml import OpmlError, parse_opml, plan_import, slugify, unique_name, url_key
from monitor.config import load_config


def test_miniflux_nested_categories_and_titles():
    doc = parse_opml((FIXTURES / "miniflux.opml").read_bytes())
    assert doc.title == "Miniflux"
    assert [(f.title, f.categories) for f in doc.feeds] == [
        ("Dawn - Home", ("Pakistan",)),
        ("The Express Tribune", ("Pakistan",)),
        ("The Hindu - National", ("India",)),
        ("Al Jazeera – Breaking News, World News and Video from Al Jazeera", ("All",)),
    ]
    assert doc.feeds[0].html_url == "https://www.dawn.com/"


def test_feedly_prefers_text_and_follows_deep_nesting_and_skips_links():
    doc = parse_opml((FIXTURES / "feedly.opml").read_bytes())
    titles = {f.xml_url: (f.title, f.categories) for f in doc.feeds}
    # `text` is what the user sees (Feedly puts a rename there), `title` the original
    assert titles["https://www.thehindu.com/news/international/feeder/default.rss"] == (
        "My Hindu (renamed)", ("Diplomacy",))
    assert titles["https://www.dawn.com/feeds/latest-news"] == (
        "Dawn Top Stories", ("Regional", "Pakistan"))
    assert "https://bookmark.example.com/page" not in titles  # type="link": not a feed


def test_freshrss_entities_in_urls_are_decoded():
    doc = parse_opml((FIXTURES / "freshrss.opml").read_bytes())
    urls = [f.xml_url for f in doc.feeds]
    assert "https://kashmir.example.org/feed?lang=en&format=rss" in urls
    assert doc.feeds[2].title == "Kashmir & Beyond"


def test_import_into_a_config_names_feeds_skips_duplicates_and_reports(config_file, run_cli):
    result = run_cli(config_file, "feeds", "import", str(FIXTURES / "miniflux.opml"))
    assert result.exit_code == 0, result.output
    assert "Added 4 feeds, skipped 0" in result.output
    result = run_cli(config_file, "feeds", "import", str(FIXTURES / "freshrss.opml"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Added 4 feeds, skipped 1" in out
    # the trailing slash does not make it a different feed
    assert '- Dawn (https://www.dawn.com/feeds/home/): already configured as "dawn-home"' in out
    assert "+ dawn-2 " in out  # "Dawn" slugified, made unique ("dawn" is configured)
    assert "[South Asia]" in out
    config = load_config(config_file)
    names = [f.name for f in config.feeds]
    assert names == ["dawn", "hindu", "dawn-home", "the-express-tribune", "the-hindu-national",
                     "al-jazeera-breaking-news-world-news-and-video-from-al",
                     "geo-news", "kashmir-beyond", "kashmir-mediation-google-news", "dawn-2"]
    assert len(names) == len(set(names))
    assert all(n.replace("-", "").isalnum() and n == n.lower() for n in names)
    assert "# Where the digests go" in config_file.read_text()


def test_import_skips_bad_urls_and_duplicates_within_the_file(config_file, run_cli):
    result = run_cli(config_file, "feeds", "import", str(FIXTURES / "feedly.opml"),
                     "--interval", "1h")
    assert result.exit_code == 0, result.output
    assert "Local file (file:///etc/passwd): not an http(s) URL" in result.output
    config = load_config(config_file)
    added = {f.name: f for f in config.feeds[2:]}
    assert set(added) == {"dawn-top-stories", "my-hindu-renamed", "voice-of-kashmir-srinagar",
                          "dawn-top-stories-2", "untitled-example-com"}
    assert {f.interval for f in added.values()} == {3600}


def test_import_dry_run_changes_nothing(config_file, run_cli):
    before = config_file.read_bytes()
    result = run_cli(config_file, "feeds", "import", "--dry-run", str(FIXTURES / "miniflux.opml"))
    assert result.exit_code == 0
    assert "Would add 4 feeds" in result.output
    assert config_file.read_bytes() == before


def test_export_then_import_into_an_empty_config_gives_the_same_feeds(config_file, run_cli,
                                                                      tmp_path):
    assert run_cli(config_file, "feeds", "import", str(FIXTURES / "freshrss.opml")).exit_code == 0
    exported = run_cli(config_file, "feeds", "export")
    assert exported.exit_code == 0
    assert exported.output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    opml = tmp_path / "out.opml"
    assert run_cli(config_file, "feeds", "export", "-o", str(opml)).exit_code == 0
    assert opml.read_text() .split("<body>")[1] == exported.output.split("<body>")[1]

    empty = tmp_path / "empty.toml"
    empty.write_text('[storage]\npath = "other.db"\n')
    result = run_cli(empty, "feeds", "import", str(opml))
    assert result.exit_code == 0, result.output
    original = [(f.name, f.url) for f in load_config(config_file).feeds]
    assert [(f.name, f.url) for f in load_config(empty).feeds] == original
    listed = json.loads(run_cli(empty, "feeds", "list", "--format", "json").output)
    assert [(r["name"], r["url"]) for r in listed] == original


def test_export_escapes_markup_in_urls(tmp_path, run_cli):
    config = tmp_path / "c.toml"
    config.write_text('[[feeds]]\nname = "q"\nurl = "https://e.example.org/rss?a=1&b=\\"<x>\\""\n')
    out = run_cli(config, "feeds", "export").output
    assert parse_opml(out).feeds[0].xml_url == 'https://e.example.org/rss?a=1&b="<x>"'


@pytest.mark.parametrize("body, why", [
    (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     b'<opml><body><outline text="&xxe;" xmlUrl="https://a.example.org/"/></body></opml>',
     "DOCTYPE"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b'<opml><body><outline text="&lol2;" xmlUrl="https://a.example.org/"/></body></opml>',
     "DOCTYPE"),
    (b"<opml><body><outline text='x' xmlUrl='https://a.example.org/'></body>", "not well-formed"),
    (b"not xml at all", "not well-formed"),
])
def test_hostile_or_broken_opml_is_refused(body, why, config_file, run_cli, tmp_path):
    with pytest.raises(OpmlError, match=why):
        parse_opml(body)
    bad = tmp_path / "bad.opml"
    bad.write_bytes(body)
    before = config_file.read_bytes()
    result = run_cli(config_file, "feeds", "import", str(bad))
    assert result.exit_code == 1 and why in result.output
    assert config_file.read_bytes() == before


def test_oversized_opml_is_refused():
    with pytest.raises(OpmlError, match="larger than"):
        parse_opml(b"<opml>" + b" " * (6 * 1024 * 1024) + b"</opml>")


def test_slugs_and_unique_names():
    assert slugify("Al Jazeera – Breaking News") == "al-jazeera-breaking-news"
    assert slugify("Voice of Kashmir ☀ Srinagar") == "voice-of-kashmir-srinagar"
    assert slugify("Dawn — Home (Pakistan)") == "dawn-home-pakistan"
    assert slugify("Le Monde diplomatique: Économie") == "le-monde-diplomatique-economie"
    assert slugify("☀☀☀") == ""
    assert len(slugify("x" * 200)) == 60
    assert slugify("word " * 30) == "-".join(["word"] * 12)  # cut between words
    assert unique_name("dawn", {"dawn", "dawn-2"}) == "dawn-3"
    assert len(unique_name("y" * 60, {"y" * 60})) == 60


def test_url_key_ignores_case_default_port_and_final_slash_but_not_query():
    assert url_key("HTTP://Example.ORG:80/feed/") == url_key("http://example.org/feed")
    assert url_key("https://example.org/feed?a=1") != url_key("https://example.org/feed?a=2")
    assert url_key("https://example.org:8443/f") != url_key("https://example.org/f")


def test_plan_import_against_existing_names():
    doc = parse_opml(b'<opml><body><outline text="Dawn" xmlUrl="https://n.example.org/"/>'
                     b"</body></opml>")
    plan = plan_import(doc, [("dawn", "https://other.example.org/")])
    assert [name for name, _ in plan.added] == ["dawn-2"]
