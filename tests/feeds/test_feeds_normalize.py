"""Normalising entries into Articles: ids, plain text, links, GUID trust, near-duplicates."""

from __future__ import annotations

from conftest import NOW, assert_healthy_complete, cycle, with_healthy
from fault_server import reply

from db.store import from_signed64, to_signed64
from feeds.dedup import (
    NEAR_DUPLICATE_BITS,
    hamming,
    is_near_duplicate,
    simhash,
)
from feeds.normalize import canonical_link, plain_text
from feeds.parse import parse_feed
from feeds.records import FetchResult


def _items(*items: tuple[str | None, str, str]) -> bytes:
    """An RSS body from (guid, title, link) triples."""
    xml = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f"<guid>{guid}</guid>" if guid is not None else "") + "</item>"
        for guid, title, link in items)
    return f"<rss version='2.0'><channel><title>n</title>{xml}</channel></rss>".encode()


def _parse(body: bytes, name: str = "n"):
    return parse_feed(FetchResult(url="http://127.0.0.1/n", status=200, body=body), name, now=NOW)


def test_plain_text_strips_markup_decodes_entities_folds_space():
    raw = "<p>India &amp; Pakistan<script>alert(1)</script>\n\n  talk <b>mediation</b>&nbsp;offer</p>"
    assert plain_text(raw) == "India & Pakistan talk mediation offer"
    assert plain_text("a < b and c", is_html=False) == "a < b and c"
    assert plain_text(None) == ""


def test_canonical_link_drops_tracking_and_fragment():
    link = "HTTPS://Example.ORG:443/news/a?id=7&utm_source=rss&UTM_Medium=x&fbclid=abc&page=2#top"
    assert canonical_link(link) == "https://example.org/news/a?id=7&page=2"
    assert canonical_link("http://user:pw@example.org:8080/x") == "http://example.org:8080/x"
    assert canonical_link("http://[::1]:8080/feed?gclid=1") == "http://[::1]:8080/feed"
    assert canonical_link(None) is None


def test_missing_guids_use_canonical_links_stably(server):
    body = _items((None, "One", "http://e.org/1?utm_campaign=a"), (None, "Two", "http://e.org/2"))
    server.routes["/noguid"] = reply(200, body)
    polled = cycle(with_healthy(server, noguid="/noguid"))
    assert_healthy_complete(polled)
    first = polled["noguid"].parsed.articles
    assert [a.link for a in first] == ["http://e.org/1", "http://e.org/2"]
    again = _parse(_items((None, "One, edited", "http://e.org/1?utm_campaign=b"),
                          (None, "Two", "http://e.org/2")), "noguid")
    assert [a.id for a in again.articles] == [a.id for a in first]  # same stories, same ids
    assert again.articles[0].content_hash != first[0].content_hash  # ...but marked as changed


def test_duplicate_guids_within_a_feed_fall_back_to_links(server):
    body = _items(("same-guid-for-all", "One", "http://e.org/1"),
                  ("same-guid-for-all", "Two", "http://e.org/2"),
                  ("urn:unique:000003", "Three", "http://e.org/3"))
    server.routes["/dupes"] = reply(200, body)
    polled = cycle(with_healthy(server, dupes="/dupes"))
    assert_healthy_complete(polled)
    got = polled["dupes"]
    assert [a.title for a in got.parsed.articles] == ["One", "Two", "Three"]
    assert len({a.id for a in got.parsed.articles}) == 3
    assert got.state.last_status == "warning" and "GUID" in got.state.last_error


def test_bare_numeric_guids_are_not_trusted():
    parsed = _parse(_items(("1", "One", "http://e.org/1"), ("2", "Two", "http://e.org/2")))
    by_link = _parse(_items((None, "One", "http://e.org/1"), (None, "Two", "http://e.org/2")))
    assert [a.id for a in parsed.articles] == [a.id for a in by_link.articles]


def test_trusted_guid_keeps_the_id_when_the_link_changes():
    first = _parse(_items(("urn:story:000001", "One", "http://e.org/1")))
    moved = _parse(_items(("urn:story:000001", "One", "http://e.org/one-renamed")))
    assert first.articles[0].id == moved.articles[0].id
    assert first.articles[0].id.startswith("n:")


def test_entries_without_guid_or_link_use_content_hash_and_duplicates_are_dropped():
    body = (b"<rss version='2.0'><channel><title>n</title>"
            b"<item><title>Same</title><description>text</description></item>"
            b"<item><title>Same</title><description>text</description></item>"
            b"<item><title>Other</title></item></channel></rss>")
    parsed = _parse(body)
    assert [a.title for a in parsed.articles] == ["Same", "Other"]
    assert any("duplicate entries dropped" in w for w in parsed.warnings)


def test_atom_html_title_and_categories_and_author():
    body = (b"<feed xmlns='http://www.w3.org/2005/Atom'><title>a</title><entry>"
            b"<id>tag:e.org,2025:1</id><title type='html'>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title>"
            b"<link href='/rel/1'/><updated>2025-05-12T08:00:00+02:00</updated>"
            b"<author><name>R. Writer</name></author><category term='Kashmir'/>"
            b"<category term='Kashmir'/><category term='Diplomacy'/>"
            b"<content type='html'>&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>")
    article = _parse(body).articles[0]
    assert article.title == "Bold & more"
    assert article.summary == "Body"
    assert article.link == "http://127.0.0.1/rel/1"  # relative link resolved against the feed URL
    assert article.published == NOW.replace(hour=6)
    assert article.author == "R. Writer" and article.categories == ("Kashmir", "Diplomacy")


def test_simhash_separates_near_duplicates_from_distinct_stories():
    wire = "US offers to mediate between India and Pakistan on Kashmir, says State Department"
    copy = "US offers to mediate between India and Pakistan on Kashmir, State Department says"
    other = "India beat Pakistan by six wickets in Asia Cup cricket match in Dubai"
    assert is_near_duplicate(simhash(wire), simhash(copy))
    assert not is_near_duplicate(simhash(wire), simhash(other))
    assert hamming(simhash(wire), simhash(wire)) == 0 and 0 < NEAR_DUPLICATE_BITS < 32
    assert simhash("") == 0 and not is_near_duplicate(0, 0)


def test_simhash_is_stable_and_fits_sqlite():
    value = simhash("Kashmir mediation offer rejected by New Delhi")
    assert value == simhash("Kashmir mediation offer rejected by New Delhi")
    assert 0 <= value < 1 << 64
    assert from_signed64(to_signed64(value)) == value
    assert -(1 << 63) <= to_signed64(value) < 1 << 63


def test_control_characters_from_feed_text_never_reach_an_article():
    # Escaped character references survive the XML parse and are decoded with the HTML: an
    # ESC would reach terminals (sqlite3, datasette exports), U+FFFE makes XML output invalid.
    body = (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
            b"<entry><id>urn:x:control-1</id><title type='html'>Kashmir &amp;#x1b;[2J talks"
            b"&amp;#1;&amp;#xFFFE;</title><summary type='html'>Envoy&amp;#x9b;31m named"
            b"&amp;#x7;</summary><link href='http://e.org/c'/></entry></feed>")
    [article] = _parse(body).articles
    assert article.title == "Kashmir [2J talks"
    assert article.summary == "Envoy\u203a31m named"  # HTML maps &#x9b; to windows-1252's "›"
    assert plain_text("tab\tand\nnew\x00line\x9b\ud800", False) == "tab and new line"
