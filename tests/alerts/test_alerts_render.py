"""What a digest and an alert say, and that hostile feed text never survives into HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from alerts_samples import NOW, hostile_stories, india_shift, sample_stories, story

from alerts.chart import stance_chart_png
from alerts.digest import build_digest
from alerts.labels import alert_subject, digest_subject, shift_phrase
from alerts.records import Alert, Event, RenderedMessage
from alerts.render import CHART_CID, render_alert, render_digest, safe_url


def digest_of(stories, **kw):
    return build_digest(stories, channel="desk", now=NOW, schedule="0 7 * * *", **kw)


def test_subjects_say_what_happened():
    d = digest_of(sample_stories())
    assert digest_subject(d) == "Daily digest: 4 stories, 1 stance shift, 1 new mediator"
    s = story("dawn-9", "India now welcomes mediation", feed="dawn", mentions=[india_shift()])
    alert = Alert("desk", NOW, Event("shift", s, india_shift()))
    assert alert_subject(alert) == "India: rejects → welcomes mediation (dawn)"
    assert shift_phrase("urges_dialogue", "offers_mediation") == "urges dialogue → offers mediation"
    weekly = build_digest([], channel="w", now=NOW, schedule="0 7 * * 1")
    assert digest_subject(weekly) == "Weekly digest: 0 stories"


def test_digest_order_events_first_then_groups_and_also_in():
    message = render_digest(digest_of(sample_stories()))
    text = message.text
    # events before the grouped stories, shifts before new mediators
    assert text.index("STANCE SHIFTS") < text.index("NEW MEDIATORS") < text.index("STORIES BY")
    assert "India: rejects → welcomes mediation" in text
    assert "New mediator: Turkey offers mediation" in text
    # the two outlets' copies of the India story collapsed into one with "also in"
    assert text.count("India signals openness") == 2  # once as an event, once in its group
    assert "Delhi open to US role" not in text
    assert "also in: the-hindu" in text
    assert "1 near-duplicate folded" in text
    # the structured form for webhooks carries the same story once
    ids = [s["id"] for s in message.data["stories"]]
    assert sorted(ids) == ["aj-1", "dawn-1", "dawn-2", "trib-1"]
    assert "also in: the-hindu" in message.html
    assert "4 stories, 1 stance shift, 1 new mediator" in message.html


def test_chart_is_an_inline_png_referenced_by_cid():
    png = stance_chart_png({"india": {"rejects_mediation": 4, "welcomes_mediation": 1},
                            "pakistan": {"welcomes_mediation": 6}})
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    message = render_digest(digest_of(sample_stories()), chart_png=png)
    assert f'src="cid:{CHART_CID}"' in message.html
    assert message.images[0].data == png
    again = RenderedMessage.from_json(message.to_json())  # frozen payload round-trips
    assert again == message
    assert stance_chart_png({}) is None


def test_user_templates_override_the_shipped_ones(tmp_path):
    (tmp_path / "digest.txt").write_text("CUSTOM {{ counts }} {{ '<b>' }}\n")
    message = render_digest(digest_of(sample_stories()), templates_dir=tmp_path)
    assert message.text == "CUSTOM 4 stories, 1 stance shift, 1 new mediator <b>\n"
    # untouched templates still come from the package, autoescaped
    assert "<!DOCTYPE html>" in message.html
    other = tmp_path / "other"
    other.mkdir()
    (other / "digest.html").write_text("<p>{{ '<i>' }}</p>")
    message = render_digest(digest_of(sample_stories()), templates_dir=other)
    assert message.html == "<p>&lt;i&gt;</p>"


def test_alert_renders_text_and_html():
    s = story("dawn-9", "India now welcomes <mediation>", mentions=[india_shift()])
    m = render_alert(Alert("desk", NOW, Event("shift", s, india_shift())))
    assert m.subject == "India: rejects → welcomes mediation (dawn)"
    assert "New Delhi said it would welcome" in m.text and "https://news.example/dawn-9" in m.text
    assert "India now welcomes &lt;mediation&gt;" in m.html
    assert m.data["events"][0]["headline"] == "India: rejects → welcomes mediation"


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.style_blocks = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.style_blocks += tag == "style"


def test_hostile_feed_content_never_survives_into_html():
    stories = hostile_stories() + sample_stories()
    png = stance_chart_png({"india": {"rejects_mediation": 1}})
    message = render_digest(digest_of(stories), chart_png=png)
    parsed = Elements()
    parsed.feed(message.html)
    tags = {t for t, _ in parsed.tags}
    assert not tags & {"script", "iframe", "svg", "object", "embed", "form", "input", "link",
                       "base"}
    assert parsed.style_blocks == 1  # only our own stylesheet
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag != "img" or attrs.get("class") != "chart":
            assert "style" not in attrs, (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith(("http://", "https://")), attrs
        if tag == "img":
            assert attrs["src"] == f"cid:{CHART_CID}", attrs  # no tracking pixels from feeds
    lowered = message.html.lower()
    assert "javascript:" not in lowered and "data:text" not in lowered
    assert "<script" not in lowered
    assert "position:fixed" not in lowered.replace(" ", "")
    # the escaped title is still readable as text
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in message.html
    assert '<a href="https://ok.example/story"' in message.html  # a fine link survives
    # the text body and the webhook data drop the dangerous links too
    assert "javascript:" not in message.text.lower()
    assert all(s["link"] is None or s["link"].startswith("http") for s in message.data["stories"])


def test_safe_url():
    assert safe_url("https://dawn.com/x?a=1") == "https://dawn.com/x?a=1"
    for bad in ("javascript:alert(1)", " JAVASCRIPT:alert(1)", "java\tscript:alert(1)",
                "data:text/html,x", "vbscript:x", "//evil.example/x", "http://", "", None):
        assert safe_url(bad) is None, bad


def test_groups_are_actor_stances_and_bare_mentions_make_no_group():
    from alerts.records import StoryMention

    named_only = story("wire-7", "Kashmir talks resume in Geneva", mentions=[
        StoryMention("india", None, "", 0.5), StoryMention("pakistan", None, "", 0.5)])
    digest = digest_of([*sample_stories(), named_only])
    assert all(g.stance for g in digest.groups[:-1])
    assert (digest.groups[-1].actor, digest.groups[-1].stance) == ("other", None)
    assert [s.id for s in digest.groups[-1].stories] == ["wire-7"]
    assert "== Other relevant stories (1) ==" in render_digest(digest).text
