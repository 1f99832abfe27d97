"""Hostile XML: external entities (XXE), entity expansion bombs, DOCTYPE tricks.

Each attack is served over HTTP next to healthy feeds; the proofs are that no secret file text
and no request for an external DTD/entity ever appears, and that parsing stays small and fast.
"""

from __future__ import annotations

import time

import psutil
from conftest import assert_healthy_complete, cycle, with_healthy
from fault_server import reply

from feeds.parse import parse_feed
from feeds.records import FetchResult
from feeds.safexml import defuse

ITEM = "<item><title>Story &{ref};</title><link>http://e.org/1</link><guid>urn:x:000001</guid></item>"


def _feed(doctype: str, ref: str) -> bytes:
    return (f"<?xml version='1.0'?>\n{doctype}\n<rss version='2.0'><channel><title>t &{ref};"
            f"</title>{ITEM.format(ref=ref)}</channel></rss>").encode()


def _all_text(parsed) -> str:
    return " ".join([parsed.title or ""] + [a.title + a.summary for a in parsed.articles])


def test_xxe_local_file_is_never_read(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LOCAL-FILE")
    doctypes = {
        "multi": f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>',
        "oneline": f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        "public": f'<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//x//y" "file://{secret}">]>',
    }
    for name, doctype in doctypes.items():
        server.routes[f"/{name}"] = reply(200, _feed(doctype, "xxe"))
    polled = cycle(with_healthy(server, **{name: f"/{name}" for name in doctypes}))
    assert_healthy_complete(polled)
    for name in doctypes:
        parsed = polled[name].parsed
        assert parsed.error is None and len(parsed.articles) == 1
        assert "TOP-SECRET" not in _all_text(parsed)
        assert any("external entity" in w for w in parsed.warnings)


def test_external_dtd_and_parameter_entities_are_never_fetched(server):
    evil = server.url("/evil.dtd")
    server.routes["/evil.dtd"] = reply(200, b'<!ENTITY leak "FETCHED-FROM-NETWORK">',
                                       {"Content-Type": "application/xml-dtd"})
    doctypes = {
        "dtd": f'<!DOCTYPE rss SYSTEM "{evil}">',
        "pe": f'<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{evil}"> %remote;]>',
        "ge": f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "{evil}">]>',
    }
    for name, doctype in doctypes.items():
        server.routes[f"/{name}"] = reply(200, _feed(doctype, "leak"))
    polled = cycle(with_healthy(server, **{name: f"/{name}" for name in doctypes}))
    assert_healthy_complete(polled)
    assert server.hits("/evil.dtd") == []
    for name in doctypes:
        assert "FETCHED-FROM-NETWORK" not in _all_text(polled[name].parsed)


def _laughs(levels: int, one_line: bool) -> str:
    sep = "" if one_line else "\n"
    decls = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol{} "{}">'.format(i, f"&lol{i - 1};" * 10) for i in range(1, levels + 1)]
    return f"<!DOCTYPE lolz [{sep}{sep.join(decls)}{sep}]>"


def test_billion_laughs_cannot_blow_memory(server):
    server.routes["/laughs"] = reply(200, _feed(_laughs(9, one_line=False), "lol9"))
    server.routes["/laughs1"] = reply(200, _feed(_laughs(9, one_line=True), "lol9"))
    process = psutil.Process()
    before = process.memory_info().rss
    started = time.monotonic()
    polled = cycle(with_healthy(server, laughs="/laughs", laughs1="/laughs1"))
    assert time.monotonic() - started < 5
    assert process.memory_info().rss - before < 50 * 1024 * 1024
    assert_healthy_complete(polled)
    for name in ("laughs", "laughs1"):
        parsed = polled[name].parsed
        assert "lollollol" not in _all_text(parsed)
        assert any("entity with references" in w for w in parsed.warnings)


def test_quadratic_blowup_is_bounded():
    # One big entity used many times: the value limit keeps it out.
    big = "A" * 100_000
    body = _feed(f'<!DOCTYPE rss [<!ENTITY big "{big}">]>', "big").replace(
        b"Story &big;", b"Story " + b"&big;" * 1000)
    parsed = parse_feed(FetchResult(url="http://127.0.0.1/q", status=200, body=body), "q")
    assert len(_all_text(parsed)) < 10_000
    assert any("oversized entity" in w for w in parsed.warnings)


def test_many_references_to_an_allowed_entity_are_bounded():
    # Each value is within the per-entity limit, but 200,000 references to a 1 KiB value
    # would expand 1 MB of XML to 200 MB of text (feedparser's lenient fallback expands them).
    value = "A" * 1000
    body = _feed(f'<!DOCTYPE rss [<!ENTITY big "{value}">]>', "big").replace(
        b"Story &big;", b"Story " + b"&big;" * 200_000)
    started = time.monotonic()
    parsed = parse_feed(FetchResult(url="http://127.0.0.1/m", status=200, body=body), "m")
    assert time.monotonic() - started < 10
    assert len(_all_text(parsed)) < 2 * len(body)
    assert any("entity expansion" in w for w in parsed.warnings)


def test_safe_internal_entities_still_work():
    body = _feed('<!DOCTYPE rss [<!ENTITY place "Srinagar"><!ENTITY eacute "&#233;">]>', "place")
    parsed = parse_feed(FetchResult(url="http://127.0.0.1/s", status=200, body=body), "s")
    assert parsed.articles[0].title == "Story Srinagar"
    assert not [w for w in parsed.warnings if "DTD" in w or "XML" in w]


def test_gt_inside_a_quoted_value_does_not_smuggle_declarations():
    # feedparser's own regex would stop at the first ">" and leave the rest for expat.
    doctype = '<!DOCTYPE rss [<!ENTITY a "x>y"><!ENTITY b SYSTEM "file:///etc/passwd">]>'
    cleaned = defuse(_feed(doctype, "b"))
    assert b"SYSTEM" not in cleaned.body and b"/etc/passwd" not in cleaned.body
    assert b'<!ENTITY a "x>y">' in cleaned.body


def test_utf16_feed_with_hostile_doctype_is_defused():
    doctype = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = _feed(doctype, "xxe").decode().replace("<?xml version='1.0'?>",
                                                   "<?xml version='1.0' encoding='utf-16'?>")
    cleaned = defuse(body.encode("utf-16"))
    assert cleaned.transcoded and b"/etc/passwd" not in cleaned.body
    parsed = parse_feed(FetchResult(url="http://127.0.0.1/u", status=200,
                                    body=body.encode("utf-16")), "u")
    assert len(parsed.articles) == 1 and "root:" not in _all_text(parsed)


def test_unterminated_doctype_is_removed():
    cleaned = defuse(b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a SYSTEM 'file:///etc/passwd'"
                     b"<rss version='2.0'><channel><title>t</title></channel></rss>")
    assert b"DOCTYPE" not in cleaned.body and cleaned.warnings == ["malformed DOCTYPE removed"]


def test_bytes_body_naming_a_local_file_is_not_read(tmp_path):
    # feedparser.parse(bytes) would open a file of that name; parse_feed passes a stream.
    secret = tmp_path / "feed.xml"
    secret.write_text("<rss version='2.0'><channel><title>LOCAL</title><item><title>LOCAL"
                      "</title></item></channel></rss>")
    parsed = parse_feed(FetchResult(url="http://127.0.0.1/p", status=200,
                                    body=str(secret).encode()), "p")
    assert parsed.error == "not-a-feed" and parsed.articles == []
