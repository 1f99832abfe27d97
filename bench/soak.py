"""Soak: the real daemon polling a farm of 1,000 local feeds with fast intervals for ten minutes.

    python bench/soak.py                       # 1,000 feeds, 60 s interval, 600 s measured
    python bench/soak.py --feeds 200 --duration 60 --interval 20   # a quick look

The farm is a separate process (stdlib HTTP/1.1 server on 127.0.0.1) so its CPU and memory are
not counted. Feeds change at four speeds (a new item every 1, 5, 30 or 120 minutes), answer
conditional requests with 304, and about one item in eight is a Kashmir-mediation story, so the
matcher, the store and the immediate `file` alerts all do real work.

Recorded (daemon process only, psutil every 5 s): RSS at start of measurement, peak and final;
CPU share of one core; jobs run / failed / missed (from the daemon's heartbeat, which counts
APScheduler's MISSED and MAX_INSTANCES events); polls served by the farm; and how late feeds were
polled against the interval the daemon planned (median and p95 gap between two polls of a feed,
for feeds that changed least, whose adaptive interval is the configured one x2).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
PERIODS = (60, 300, 1800, 7200)  # seconds between new items, by feed number modulo 4
TOPICS = [
    ("{m} offers to mediate between India and Pakistan over Kashmir",
     "{m} said it stands ready to mediate between New Delhi and Islamabad on Kashmir."),
    ("India rejects {m} mediation offer on Kashmir as bilateral matter",
     "New Delhi said there is no room for third-party mediation by {m}."),
    ("Markets close higher in {m} as energy stocks rally",
     "Shares rose for a third day on hopes of lower interest rates."),
    ("{m} weather: heavy rain expected over the weekend",
     "Forecasters warned of flooding in low-lying districts."),
    ("Football: {m} beat rivals in a late comeback",
     "A stoppage-time goal settled the match."),
    ("{m} announces new rail link between two provinces",
     "The line is due to open in three years."),
    ("Tech giant opens research centre in {m}", "Hundreds of engineers will be hired."),
    ("{m} parliament debates budget amendments", "The opposition called for more spending."),
]
MEDIATORS = ["Russia", "Turkey", "Norway", "Qatar", "Japan", "Iran", "Egypt", "Brazil"]


# -- the farm (child process) -----------------------------------------------------------------

def feed_body(number: int, step: int, period: int, t0: float) -> bytes:
    items = []
    for k in range(max(0, step - 19), step + 1):
        title, summary = TOPICS[(number * 7 + k) % len(TOPICS)]
        mediator = MEDIATORS[(number + k) % len(MEDIATORS)]
        when = format_datetime(datetime.fromtimestamp(t0 + k * period, UTC))
        items.append(f"<item><title>{escape(title.format(m=mediator))} #{number}-{k}</title>"
                     f"<link>https://farm.example.org/{number}/{k}</link>"
                     f'<guid isPermaLink="false">farm-{number}-{k}</guid><pubDate>{when}</pubDate>'
                     f"<description>{escape(summary.format(m=mediator))}</description></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Farm feed {number}</title><link>https://farm.example.org/{number}</link>"
            f"<description>soak</description>{''.join(items)}</channel></rss>").encode()


def serve_farm(port_file: Path, stats_file: Path) -> None:
    t0 = time.time()
    hits: dict[int, list[float]] = defaultdict(list)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/stats":
                with lock:
                    body = json.dumps({str(k): v for k, v in hits.items()}).encode()
                return self._send(200, body, {})
            try:
                number = int(self.path.strip("/").removeprefix("feed/"))
            except ValueError:
                return self._send(404, b"no such feed", {})
            with lock:
                hits[number].append(time.time())
            period = PERIODS[number % len(PERIODS)]
            step = int((time.time() - t0 + number) // period) + 20
            etag = f'"{number}-{step}"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
            return self._send(200, feed_body(number, step, period, t0 - 20 * period),
                              {"ETag": etag, "Content-Type": "application/rss+xml"})

        def _send(self, code: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(code)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_file.write_text(str(server.server_address[1]))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    with lock:
        stats_file.write_text(json.dumps({str(k): v for k, v in hits.items()}))


# -- the measurement (parent) -----------------------------------------------------------------

def write_config(folder: Path, port: int, feeds: int, interval: int) -> Path:
    lines = ['[storage]\npath = "soak.db"\n',
             f"[fetch]\nmin_interval = {max(1, interval // 4)}\nmax_interval = {interval * 2}\n"
             "max_concurrency = 8\nmax_per_host = 8\nhost_gap = 0.001\n"]
    for n in range(feeds):
        lines.append(f'[[feeds]]\nname = "farm-{n}"\nurl = "http://127.0.0.1:{port}/feed/{n}"\n'
                     f'interval = "{interval}s"\n')
    # a digest every 5 minutes: its rendering (chart included) happens in a child process
    lines.append('[[channels]]\nname = "alerts"\ntype = "file"\nschedule = "*/5 * * * *"\n'
                 'immediate = true\ndirectory = "out"\n')
    path = folder / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--interval", type=int, default=60, help="configured feed interval, s")
    parser.add_argument("--duration", type=int, default=600, help="measured seconds")
    parser.add_argument("--warmup", type=int, default=90, help="seconds before measuring")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="km-soak-"))
    port_file, stats_file = folder / "port", folder / "farm-stats.json"
    farm = subprocess.Popen([sys.executable, __file__, "--serve-farm", str(port_file),
                             str(stats_file)])
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    port = int(port_file.read_text())
    config = write_config(folder, port, args.feeds, args.interval)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log = (folder / "daemon.log").open("wb")
    daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run",
                               "--log-level", "WARNING"], cwd=folder, stdout=log,
                              stderr=subprocess.STDOUT, env=env)
    print(f"soak: {args.feeds} feeds every {args.interval}s, warm-up {args.warmup}s, "
          f"measuring {args.duration}s in {folder}", flush=True)
    try:
        results = measure(args, folder, daemon, farm, stats_file)
    finally:  # never leave the farm or the daemon behind (Ctrl-C, early exit)
        for child in (daemon, farm):
            if child.poll() is None:
                child.kill()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def measure(args, folder: Path, daemon: subprocess.Popen, farm: subprocess.Popen,
            stats_file: Path) -> dict:
    import psutil

    proc = psutil.Process(daemon.pid)
    samples: list[tuple[float, int, float]] = []  # (t, rss, cpu seconds)
    t_start = time.monotonic()
    measure_from = t_start + args.warmup
    end = measure_from + args.duration
    while time.monotonic() < end:
        if daemon.poll() is not None:
            sys.exit(f"daemon exited early ({daemon.returncode}); see {folder / 'daemon.log'}")
        now = time.monotonic()
        cpu = proc.cpu_times()
        samples.append((now - t_start, proc.memory_info().rss, cpu.user + cpu.system))
        time.sleep(5)
    before = next(s for s in samples if s[0] >= args.warmup)
    last = samples[-1]
    measured = [s for s in samples if s[0] >= args.warmup]
    daemon.send_signal(signal.SIGTERM)
    stop_started = time.monotonic()
    code = daemon.wait(timeout=60)
    stop_seconds = time.monotonic() - stop_started
    farm.send_signal(signal.SIGTERM)
    farm.wait(timeout=30)
    db = sqlite3.connect(folder / "soak.db")
    run, failed, missed = db.execute(
        "SELECT jobs_run, jobs_failed, jobs_missed FROM daemon_heartbeat").fetchone()
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    relevant = db.execute("SELECT count(*) FROM articles WHERE relevant = 1").fetchone()[0]
    alerts = db.execute("SELECT count(*) FROM deliveries WHERE kind = 'alert' "
                        "AND status = 'delivered'").fetchone()[0]
    digests = db.execute("SELECT count(*) FROM deliveries WHERE kind = 'digest' "
                         "AND status = 'delivered'").fetchone()[0]
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    hits = {int(k): v for k, v in json.loads(stats_file.read_text()).items()}
    window = (time.time() - (time.monotonic() - measure_from), time.time())
    polls = sum(1 for v in hits.values() for t in v if window[0] <= t)
    quiet = [n for n in hits if PERIODS[n % len(PERIODS)] == PERIODS[-1]]
    gaps = [b - a for n in quiet for a, b in zip(hits[n], hits[n][1:], strict=False)
            if a >= window[0]]
    results = {
        "feeds": args.feeds, "interval_s": args.interval, "measured_s": args.duration,
        "rss_mb_start": round(before[1] / 2**20, 1),
        "rss_mb_peak": round(max(s[1] for s in measured) / 2**20, 1),
        "rss_mb_final": round(last[1] / 2**20, 1),
        "cpu_share": round((last[2] - before[2]) / (last[0] - before[0]), 3),
        "polls_per_s": round(polls / args.duration, 1),
        "jobs_run": run, "jobs_failed": failed, "jobs_missed": missed,
        "quiet_feed_gap_median_s": round(statistics.median(gaps), 1) if gaps else None,
        "quiet_feed_gap_p95_s": round(percentile(gaps, 0.95), 1) if gaps else None,
        "articles": articles, "relevant": relevant, "alerts_delivered": alerts, "digests_delivered": digests,
        "exit_code": code, "stop_seconds": round(stop_seconds, 2), "integrity": integrity,
        "machine": f"{os.cpu_count()} cores, {socket.gethostname()}",
        "rss_mb_series": [round(s[1] / 2**20, 1) for s in measured[:: max(1, len(measured) // 12)]],
    }
    return results


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-farm":
        serve_farm(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
