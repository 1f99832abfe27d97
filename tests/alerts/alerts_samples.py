"""Hand-written stories for the alerts tests: realistic mediation news plus hostile markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.records import Story, StoryMention

NOW = datetime(2025, 5, 11, 7, 0, tzinfo=UTC)


def story(id: str, title: str, *, feed: str = "dawn", mentions=(), cluster: str | None = None,
          summary: str = "", link: str | None = None, hours_ago: float = 2,
          score: float = 0.8) -> Story:
    return Story(id=id, feed=feed, title=title, link=link or f"https://news.example/{id}",
                 published=NOW - timedelta(hours=hours_ago), summary=summary, score=score,
                 cluster_id=cluster, mentions=tuple(mentions))


def india_shift() -> StoryMention:
    return StoryMention("india", "welcomes_mediation",
                        "New Delhi said it would welcome a US role in talks with Islamabad.",
                        0.9, baseline="rejects_mediation", shift=True)


def turkey_offer() -> StoryMention:
    return StoryMention("turkey", "offers_mediation",
                        "Ankara offered to host talks between India and Pakistan.", 0.8,
                        in_watchlist=False)


def pakistan_welcomes() -> StoryMention:
    return StoryMention("pakistan", "welcomes_mediation",
                        "Islamabad welcomed the offer of mediation on Kashmir.", 0.85,
                        baseline="welcomes_mediation")


def us_offer() -> StoryMention:
    return StoryMention("united_states", "offers_mediation",
                        "Washington is ready to mediate on Kashmir, the president said.", 0.9,
                        baseline="offers_mediation")


def sample_stories() -> list[Story]:
    return [
        story("dawn-1", "India signals openness to US mediation on Kashmir",
              mentions=[india_shift()], cluster="c-india", hours_ago=3),
        story("hindu-1", "Delhi open to US role in Kashmir talks", feed="the-hindu",
              mentions=[india_shift()], cluster="c-india", hours_ago=2, score=0.7),
        story("aj-1", "Turkey offers to mediate between India and Pakistan", feed="al-jazeera",
              mentions=[turkey_offer(), pakistan_welcomes()], hours_ago=5),
        story("trib-1", "Trump repeats offer to mediate on Kashmir", feed="express-tribune",
              mentions=[us_offer()], hours_ago=7,
              summary="<p>The US president <b>again</b> offered mediation.</p>"),
        story("dawn-2", "Pakistan welcomes mediation offers", mentions=[pakistan_welcomes()],
              hours_ago=9),
    ]


HOSTILE_TITLE = '<script>alert("t")</script><img src=x onerror="alert(1)">Kashmir talks'
HOSTILE_SUMMARY = (
    '<a href="javascript:alert(2)">click</a> <a href="data:text/html,<script>x</script>">d</a>'
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">cover</div>'
    '<style>body{display:none}</style><iframe src="https://evil.example"></iframe>'
    '<svg onload="alert(3)"><p onclick="alert(4)">broken <b><i>markup</p>'
    '<a href="https://ok.example/story">fine link</a><img src="https://evil.example/t.png">'
)


def hostile_stories() -> list[Story]:
    m = StoryMention("india", "rejects_mediation",
                     '<script>alert("e")</script>"India rejects" onerror=alert(5)', 0.9,
                     baseline="rejects_mediation")
    return [
        story("evil-1", HOSTILE_TITLE, feed="evil<b>feed</b>", summary=HOSTILE_SUMMARY,
              link="javascript:alert(6)", mentions=[m]),
        story("evil-2", "Second </div></body> story", summary="<<<>>>&&& <p <b", mentions=[m],
              link=" JaVaScRiPt:alert(7)"),
        story("evil-3", "Data link", mentions=[m], link="data:text/html;base64,PHNjcmlwdD4="),
    ]
