"""Exactly once from the reader's view, even when the sender is killed between "sent" and
"recorded": the delivery is sent again with the same idempotency key (webhook-id, file name),
so the receiver dedupes it, and no story is dropped or put into a second digest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from alerts_helpers import NOW, SECRET, article, channel, mediator, save, shift

from alerts.channels import build_channels
from alerts.outbox import LEASE, deliver_due, enqueue_digests

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def run_killed_sender(db: Path, configs, tmp_path: Path, when: str) -> None:
    spec = tmp_path / "channels.json"
    spec.write_text(json.dumps([asdict(c) for c in configs]))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    proc = subprocess.run([sys.executable, str(HERE / "crash_sender.py"), str(db), str(spec),
                           NOW.isoformat(), when], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def seed(store):
    save(store, "dawn", [(article("dawn-1", "India signals openness"), [shift()]),
                         (article("dawn-2", "Turkey offers to mediate"), [mediator()])])


def test_killed_after_send_before_record_is_resent_with_same_id(store, receiver, tmp_path):
    seed(store)
    hook = channel("hook", "webhook", url=receiver.url, secret=SECRET)
    files = channel("files", "file", directory=str(tmp_path / "out"))
    [hook_id, file_id] = sorted(enqueue_digests(store, [hook, files], NOW),
                                key=lambda i: not i.startswith("hook"))
    run_killed_sender(store.path, [hook], tmp_path, "after")
    assert receiver.ids() == [hook_id]  # it was sent...
    row = store.db.execute("SELECT status, attempts FROM deliveries WHERE id = ?",
                           [hook_id]).fetchone()
    assert row == ("sending", 1)  # ...but not recorded
    # the daemon leaves it alone while the lease runs, then sends it again with the same id
    channels = build_channels([hook, files])
    assert deliver_due(store, channels, NOW + LEASE - timedelta(seconds=1),
                       names=["hook"]).delivered == []
    report = deliver_due(store, channels, NOW + LEASE, names=["hook"])
    assert [d[0] for d in report.delivered] == [hook_id]
    assert receiver.ids() == [hook_id, hook_id]
    assert all(r["verified"] for r in receiver.requests)
    # the receiver dedupes by webhook-id: each story reaches the reader exactly once
    unique = {r["headers"]["webhook-id"]: r["body"] for r in receiver.requests}
    story_ids = [s["id"] for body in unique.values() for s in body["data"]["stories"]]
    assert sorted(story_ids) == ["dawn-1", "dawn-2"]
    # nothing was put into a second digest, and nothing is left to send
    assert enqueue_digests(store, [hook], NOW + timedelta(days=1)) == []
    assert deliver_due(store, channels, NOW + timedelta(days=1), force=True,
                       names=["hook"]).delivered == []

    # the file channel: killed after writing, re-run rewrites the same files (no second copy)
    run_killed_sender(store.path, [files], tmp_path, "after")
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    held = deliver_due(store, channels, NOW, force=True, names=["files"])
    assert held.delivered == [] and held.in_flight == 1  # maybe still sending elsewhere
    report = deliver_due(store, channels, NOW + LEASE, force=True, names=["files"])
    assert [d[0] for d in report.delivered] == [file_id]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == written
    assert len(list((tmp_path / "out").glob("*.html"))) == 1


def test_killed_before_send_is_not_lost(store, receiver, tmp_path):
    seed(store)
    hook = channel("hook", "webhook", url=receiver.url, secret=SECRET)
    [hook_id] = enqueue_digests(store, [hook], NOW)
    run_killed_sender(store.path, [hook], tmp_path, "before")
    assert receiver.ids() == []
    report = deliver_due(store, build_channels([hook]), NOW + LEASE, force=True)
    assert [d[0] for d in report.delivered] == [hook_id]
    assert receiver.ids() == [hook_id]
