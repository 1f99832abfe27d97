"""Fault injection: one broken feed in a cycle of healthy ones, over real HTTP on 127.0.0.1.

Every test checks the two promises: the healthy feeds of the same cycle come through in full,
and the faulty feed's state says what happened.
"""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from datetime import timedelta

import psutil
import pytest
from conftest import FAST, NOW, assert_healthy_complete, cycle, with_healthy
from fault_server import (
    drip,
    endless,
    http_date,
    reply,
    reset_mid_body,
    rss,
    send,
    stall,
)

from feeds.records import FeedState
from monitor.config_records import FetchConfig


def test_http_500_is_recorded_and_backs_off(server):
    server.routes["/broken"] = reply(500, b"oops")
    polled = cycle(with_healthy(server, broken="/broken"))
    assert_healthy_complete(polled)
    state = polled["broken"].state
    assert state.last_status == "http-500"
    assert "500" in state.last_error
    assert state.consecutive_failures == 1
    assert state.next_poll >= NOW + timedelta(seconds=900)
    assert not state.paused


def test_503_with_retry_after_seconds_is_honoured(server):
    server.routes["/busy"] = reply(503, b"", {"Retry-After": "3000"})
    polled = cycle(with_healthy(server, busy="/busy"))
    assert_healthy_complete(polled)
    got = polled["busy"]
    assert got.result.retry_after == 3000
    assert got.state.last_status == "http-503"
    assert got.state.next_poll >= NOW + timedelta(seconds=3000)


def test_429_with_retry_after_as_http_date_is_honoured(server):
    server.routes["/limited"] = reply(429, b"slow down", {"Retry-After": http_date(2400)})
    polled = cycle(with_healthy(server, limited="/limited"))
    assert_healthy_complete(polled)
    got = polled["limited"]
    assert got.state.last_status == "http-429"
    assert 2390 <= got.result.retry_after <= 2401
    assert got.state.next_poll >= NOW + timedelta(seconds=2390)


def test_retry_after_is_capped_by_backoff_cap(server):
    server.routes["/busy"] = reply(503, b"", {"Retry-After": str(30 * 86400)})
    polled = cycle(with_healthy(server, busy="/busy"))
    assert polled["busy"].state.next_poll <= NOW + timedelta(seconds=FAST.backoff_cap)


def test_404_is_a_failure(server):
    polled = cycle(with_healthy(server, missing="/nowhere"))
    assert_healthy_complete(polled)
    assert polled["missing"].state.last_status == "http-404"
    assert polled["missing"].state.consecutive_failures == 1


def test_410_gone_pauses_at_once(server):
    server.routes["/gone"] = reply(410, b"gone")
    polled = cycle(with_healthy(server, gone="/gone"))
    assert_healthy_complete(polled)
    state = polled["gone"].state
    assert state.paused and "410" in state.paused_reason
    assert state.consecutive_failures == 1


def test_connection_refused(server):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    states = with_healthy(server) + [FeedState("refused", f"http://127.0.0.1:{port}/feed")]
    polled = cycle(states)
    assert_healthy_complete(polled)
    assert polled["refused"].state.last_status == "connection-refused"


def test_connection_reset_mid_body(server):
    server.routes["/reset"] = reset_mid_body(rss("reset", 50))
    polled = cycle(with_healthy(server, reset="/reset"))
    assert_healthy_complete(polled)
    assert polled["reset"].state.last_status == "connection-reset"
    assert polled["reset"].result.body is None


def test_read_timeout(server, stop):
    server.routes["/stall"] = stall(30, stop)
    started = time.monotonic()
    polled = cycle(with_healthy(server, stall="/stall"))
    assert time.monotonic() - started < 5
    assert_healthy_complete(polled)
    assert polled["stall"].state.last_status == "timeout"


def test_slow_drip_is_cut_off_by_the_overall_deadline(server, stop):
    # Each byte arrives well within the read timeout; only the overall deadline can stop it.
    server.routes["/drip"] = drip(rss("drip", 20), every=0.05, stop=stop)
    fetch = FetchConfig(connect_timeout=0.5, read_timeout=0.5, max_per_host=8, host_gap=0)
    started = time.monotonic()
    polled = cycle(with_healthy(server, drip="/drip"), fetch)
    assert time.monotonic() - started < 5
    assert_healthy_complete(polled)
    assert polled["drip"].state.last_status == "too-slow"


def test_truncated_xml_keeps_what_it_can_with_a_warning(server):
    body = rss("cut", 5)
    server.routes["/cut"] = reply(200, body[: int(len(body) * 0.6)])
    polled = cycle(with_healthy(server, cut="/cut"))
    assert_healthy_complete(polled)
    got = polled["cut"]
    assert got.state.last_status == "warning"
    assert "malformed XML" in got.state.last_error
    assert 1 <= len(got.parsed.articles) < 5


def test_truncated_before_any_entry_is_an_error(server):
    server.routes["/stub"] = reply(200, b"<?xml version='1.0'?><rss version='2.0'><chan")
    polled = cycle(with_healthy(server, stub="/stub"))
    assert_healthy_complete(polled)
    assert polled["stub"].state.last_status in ("broken-feed", "not-a-feed")
    assert polled["stub"].state.consecutive_failures == 1


def test_html_page_instead_of_a_feed(server):
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    server.routes["/page"] = reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
    polled = cycle(with_healthy(server, page="/page"))
    assert_healthy_complete(polled)
    assert polled["page"].state.last_status == "html-not-feed"
    assert "HTML page" in polled["page"].state.last_error


def test_empty_200(server):
    server.routes["/empty"] = reply(200, b"")
    polled = cycle(with_healthy(server, empty="/empty"))
    assert_healthy_complete(polled)
    assert polled["empty"].state.last_status == "empty-body"


def test_wrong_declared_charset_is_a_warning_and_text_survives(server):
    body = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Café</title>"
            "<item><title>Srinagar café déjà vu</title><link>http://e.org/1</link>"
            "<guid>urn:cafe:000001</guid></item></channel></rss>").encode("latin-1")
    server.routes["/latin"] = reply(200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})
    polled = cycle(with_healthy(server, latin="/latin"))
    assert_healthy_complete(polled)
    got = polled["latin"]
    assert got.state.last_status == "warning"
    assert "declared encoding is wrong" in got.state.last_error
    assert got.parsed.articles[0].title == "Srinagar café déjà vu"


def test_50_mb_body_is_refused_by_content_length(server):
    server.routes["/huge"] = endless(50 * 1024 * 1024)
    polled = cycle(with_healthy(server, huge="/huge"), FetchConfig(max_per_host=8, host_gap=0))
    assert_healthy_complete(polled)
    assert polled["huge"].state.last_status == "too-large"


def test_50_mb_body_without_length_is_cut_at_max_bytes(server):
    server.routes["/huge"] = endless(50 * 1024 * 1024, announce=False)
    process = psutil.Process()
    before = process.memory_info().rss
    polled = cycle(with_healthy(server, huge="/huge"), FetchConfig(max_per_host=8, host_gap=0))
    assert_healthy_complete(polled)
    assert polled["huge"].state.last_status == "too-large"
    assert polled["huge"].result.body is None
    assert process.memory_info().rss - before < 40 * 1024 * 1024


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    zeros = b"\0" * (1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(size // len(zeros))) + packer.flush()


def test_gzip_bomb_is_stopped_on_the_decompressed_size(server):
    bomb = _gzip_bomb(200 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # small on the wire, 200 MiB unpacked
    server.routes["/bomb"] = reply(200, bomb, {"Content-Encoding": "gzip"})
    process = psutil.Process()
    before = process.memory_info().rss
    small = FetchConfig(max_bytes=1024 * 1024, max_per_host=8, host_gap=0)
    polled = cycle(with_healthy(server, bomb="/bomb"), small)
    assert_healthy_complete(polled)
    assert polled["bomb"].state.last_status == "too-large"
    assert "decompressed" in polled["bomb"].state.last_error
    assert process.memory_info().rss - before < 40 * 1024 * 1024


@pytest.mark.parametrize(("encoding", "pack"), [("gzip", gzip.compress), ("deflate", zlib.compress)])
def test_compressed_feed_is_decoded(server, encoding, pack):
    server.routes["/zipped"] = reply(200, pack(rss("zipped", 4)), {"Content-Encoding": encoding})
    polled = cycle(with_healthy(server, zipped="/zipped"))
    assert_healthy_complete(polled)
    assert len(polled["zipped"].parsed.articles) == 4
    assert encoding in server.hits("/zipped")[0]["Accept-Encoding"]


def test_redirect_loop_ends_with_an_error(server):
    server.routes["/a"] = reply(302, b"", {"Location": "/b"})
    server.routes["/b"] = reply(302, b"", {"Location": "/a"})
    polled = cycle(with_healthy(server, loop="/a"))
    assert_healthy_complete(polled)
    assert polled["loop"].state.last_status == "redirect-loop"


def test_301_moves_the_feed_and_302_does_not(server):
    server.routes["/old"] = reply(301, b"", {"Location": "/new"})
    server.routes["/new"] = reply(200, rss("new", 3))
    server.routes["/elsewhere"] = reply(302, b"", {"Location": "/temp"})
    server.routes["/temp"] = reply(200, rss("temp", 2))
    polled = cycle(with_healthy(server, moved="/old", visiting="/elsewhere"))
    assert_healthy_complete(polled)
    assert polled["moved"].state.url == server.url("/new")
    assert len(polled["moved"].parsed.articles) == 3
    assert polled["visiting"].state.url == server.url("/elsewhere")
    assert len(polled["visiting"].parsed.articles) == 2


def test_301_to_a_failing_url_does_not_move_the_feed(server):
    server.routes["/moving"] = reply(301, b"", {"Location": "/broken-target"})
    polled = cycle(with_healthy(server, moving="/moving"))
    assert_healthy_complete(polled)
    assert polled["moving"].state.url == server.url("/moving")
    assert polled["moving"].state.last_status == "http-404"


def test_redirect_to_a_local_file_is_never_followed(server, tmp_path):
    # file:// is for feeds the user configures, never for a place a web server points us to
    secret = tmp_path / "feed.xml"
    secret.write_bytes(rss("local-secret", 2))
    server.routes["/to-file"] = reply(301, b"", {"Location": secret.as_uri()})
    polled = cycle(with_healthy(server, sneaky="/to-file"))
    assert_healthy_complete(polled)
    assert polled["sneaky"].state.url == server.url("/to-file")
    assert polled["sneaky"].state.last_status == "bad-url"
    assert not polled["sneaky"].parsed or not polled["sneaky"].parsed.articles


def test_non_ascii_digits_in_cache_headers_are_ignored(server):
    # Python's str.isdigit() and regex \d accept "²"; float() does not
    server.routes["/hinted"] = reply(200, rss("hinted", 2), {"Cache-Control": "max-age=\u00b2"})
    server.routes["/busy"] = reply(503, b"", {"Retry-After": "\u00b2\u00b3"})
    polled = cycle(with_healthy(server, hinted="/hinted", busy="/busy"))
    assert_healthy_complete(polled)
    assert polled["hinted"].state.last_status == "ok"
    assert len(polled["hinted"].parsed.articles) == 2
    assert polled["busy"].state.last_status == "http-503"


def test_a_hostile_reason_phrase_stores_no_terminal_escape(server):
    def hostile(h):
        h.send_response(500, "\x1b]0;owned\x07\x1b[2JServer Error")
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.routes["/hostile"] = hostile
    polled = cycle(with_healthy(server, hostile="/hostile"))
    assert_healthy_complete(polled)
    state = polled["hostile"].state
    assert state.last_status == "http-500"
    assert state.last_error == "HTTP 500 ]0;owned[2JServer Error"


def test_chunked_body_is_read_in_full(server):
    body = rss("chunked", 40)

    def chunked(h) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for start in range(0, len(body), 1000):
            piece = body[start : start + 1000]
            h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        h.wfile.write(b"0\r\n\r\n")

    server.routes["/chunked"] = chunked
    polled = cycle(with_healthy(server, chunked="/chunked"))
    assert_healthy_complete(polled)
    assert len(polled["chunked"].parsed.articles) == 40


def test_308_after_a_302_does_not_move_the_feed(server):
    server.routes["/hop"] = reply(302, b"", {"Location": "/perm"})
    server.routes["/perm"] = reply(308, b"", {"Location": "/final"})
    server.routes["/final"] = reply(200, rss("final", 1))
    polled = cycle(with_healthy(server, hop="/hop"))
    assert polled["hop"].state.url == server.url("/hop")
    assert len(polled["hop"].parsed.articles) == 1


def test_invalid_dates_fall_back_to_first_seen(server):
    items = "".join(
        f"<item><title>Dated {i}</title><link>http://e.org/d{i}</link><pubDate>{date}</pubDate></item>"
        for i, date in enumerate(["not a date", "Mon, 30 Feb 2025 25:61:00 GMT",
                                  "Fri, 01 Jan 9999 00:00:00 GMT", "Mon, 12 May 2025 06:00:00 +0530"]))
    body = f"<rss version='2.0'><channel><title>d</title>{items}</channel></rss>".encode()
    server.routes["/dates"] = lambda h: send(h, 200, body)
    polled = cycle(with_healthy(server, dates="/dates"))
    assert_healthy_complete(polled)
    published = [a.published for a in polled["dates"].parsed.articles]
    assert published[:3] == [NOW, NOW, NOW]
    assert published[3] == NOW.replace(hour=0, minute=30)  # 06:00 +05:30 in UTC
    assert polled["dates"].state.last_status == "warning"
