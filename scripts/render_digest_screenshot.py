"""Render a digest's HTML in headless Chromium: save a screenshot and check the page.

    python scripts/render_digest_screenshot.py [--db km.db --channel daily-digest] [--out docs/digest.png]

Without --db it renders a built-in sample digest (realistic stories plus hostile markup). The
HTML is written by the real `file` channel (chart as a PNG next to it), then Chromium:
  1. takes a screenshot (800 px wide) to --out;
  2. loads a copy with a probe script at 800 px and at 390 px (a phone) and reports whether the
     page overflows horizontally, and whether the headline texts are present.
Exit code 0 when every check passed. Needs Debian's `chromium` (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alerts.channels import build_channels  # noqa: E402
from alerts.channels.base import Outgoing  # noqa: E402
from alerts.chart import stance_chart_png  # noqa: E402
from alerts.digest import build_digest  # noqa: E402
from alerts.records import Story, StoryMention  # noqa: E402
from alerts.render import render_digest  # noqa: E402
from monitor.config_records import ChannelConfig  # noqa: E402

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--hide-scrollbars", "--disable-extensions", "--mute-audio"]


def sample_digest(now: datetime):
    def m(actor, stance, evidence, baseline=None, shift=False, watch=True):
        return StoryMention(actor, stance, evidence, 0.9, baseline, watch, shift)

    def s(i, feed, title, mentions, hours, cluster=None, summary="", link=True):
        return Story(f"s{i}", feed, title, f"https://news.example/{feed}/{i}" if link else None,
                     now - timedelta(hours=hours), summary, 0.8, cluster, tuple(mentions))

    india = m("india", "welcomes_mediation", "External affairs ministry said New Delhi would "
              "“welcome any constructive role” by Washington in resuming talks.",
              "rejects_mediation", True)
    stories = [
        s(1, "Dawn", "India signals it could accept US facilitation of Kashmir talks", [india], 3, "c1"),
        s(2, "The Hindu", "Delhi open to US role in talks with Islamabad, officials say", [india], 2, "c1"),
        s(3, "Al Jazeera", "Turkey offers to host India–Pakistan dialogue on Kashmir",
          [m("turkey", "offers_mediation", "Ankara is ready to host both sides, Erdogan said.",
             watch=False),
           m("pakistan", "welcomes_mediation", "Islamabad welcomed the Turkish offer.",
             "welcomes_mediation")], 5),
        s(4, "Express Tribune", "Trump repeats offer to mediate between India and Pakistan",
          [m("united_states", "offers_mediation", "“I would love to mediate,” the president "
             "told reporters.", "offers_mediation")], 7,
          summary="<p>The US president <b>again</b> offered to mediate.</p>"),
        s(5, "Dawn", "Pakistan urges UN to press for dialogue over Kashmir",
          [m("pakistan", "urges_dialogue", "Pakistan's envoy urged the Security Council to push "
             "for dialogue.", "welcomes_mediation")], 9),
        s(6, "Hostile Feed", '<script>alert(1)</script><img src=x onerror=alert(2)> A very long '
          'headline without spaces: ' + "Kashmir" * 30,
          [m("india", "rejects_mediation", "India rejected third-party mediation, calling "
             "Kashmir a bilateral matter.", "rejects_mediation")], 11,
          summary='<a href="javascript:alert(3)">x</a><div style="position:fixed;inset:0">cover'
                  '</div><p>broken <b>markup', link=False),
    ]
    counts = {"india": {"rejects_mediation": 9, "welcomes_mediation": 2},
              "pakistan": {"welcomes_mediation": 12, "urges_dialogue": 5},
              "united_states": {"offers_mediation": 6}, "china": {"urges_dialogue": 3},
              "turkey": {"offers_mediation": 2}, "united_nations": {"urges_dialogue": 4}}
    return build_digest(stories, channel="daily-digest", now=now, schedule="0 7 * * *",
                        stance_counts=counts), counts


def store_digest(db: Path, channel_name: str, now: datetime):
    from alerts.select import pending_stories, stance_counts
    from db.store import Store

    store = Store(db)
    channel = ChannelConfig(name=channel_name, type="file")
    counts = stance_counts(store, now)
    return build_digest(pending_stories(store, channel), channel=channel_name, now=now,
                        schedule=channel.schedule, stance_counts=counts), counts


PROBE = """<script>
window.addEventListener('load', () => {
  const r = {width: innerWidth, scrollWidth: document.documentElement.scrollWidth,
             text: document.body.innerText.slice(0, 20000)};
  const out = document.createElement('pre'); out.id = 'probe';
  out.textContent = JSON.stringify(r);
  document.body.appendChild(out);
});
</script>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    sys.exit("chromium not found: apt-get install -y chromium")


def run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def probe(html_file: Path, width: int, work: Path) -> dict:
    page = work / f"probe-{width}.html"
    page.write_text(html_file.read_text().replace("</body>", PROBE + "</body>"))
    done = run_chromium([f"--window-size={width},1200", "--virtual-time-budget=3000",
                         "--dump-dom", page.as_uri()], work / f"profile-{width}")
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise SystemExit(f"probe failed at {width}px: {done.stderr[-500:]}")
    import html as html_lib

    return json.loads(html_lib.unescape(found.group(1)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--channel", default="daily-digest")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "digest.png")
    ap.add_argument("--height", type=int, default=2200)
    args = ap.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    digest, counts = (store_digest(args.db, args.channel, now) if args.db
                      else sample_digest(now))
    message = render_digest(digest, chart_png=stance_chart_png(counts))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = ChannelConfig(name="screenshot", type="file", settings={"directory": str(work)})
        build_channels([config])["screenshot"].send(
            Outgoing("digest-screenshot", "screenshot", "digest", message, now))
        html_file = work / "digest-screenshot.html"
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shot = run_chromium([f"--window-size=800,{args.height}", f"--screenshot={args.out}",
                             html_file.as_uri()], work / "profile-shot")
        if not args.out.exists():
            raise SystemExit(f"no screenshot: {shot.stderr[-500:]}")
        ok = True
        for width in (800, 390):
            r = probe(html_file, width, work)
            overflow = r["scrollWidth"] > r["width"]
            wanted = [message.subject.split(":")[0], "Stance shifts", "also in:"]
            wanted += [e.story.title[:40] for e in digest.events]
            missing = [w for w in wanted if w not in r["text"]]
            hostile = [w for w in ("alert(", "javascript:") if w in r["text"] and "<script>" not in r["text"]]
            print(f"{width}px: scrollWidth {r['scrollWidth']} / viewport {r['width']} "
                  f"{'OVERFLOW' if overflow else 'ok'}; missing text: {missing or 'none'}")
            ok &= not overflow and not missing and not hostile
        print(f"screenshot: {args.out} ({args.out.stat().st_size} bytes)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
