"""Run as a subprocess by the crash tests: deliver what is due, but die by SIGKILL right after
a channel confirmed a send and before the outbox records it (`after`), or right before the
send (`before`).

usage: python crash_sender.py DB CHANNELS_JSON NOW_ISO after|before
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from alerts.channels import build_channels
from alerts.outbox import deliver_due
from db.store import Store
from monitor.config_records import ChannelConfig


def main() -> None:
    db, channels_json, now, when = sys.argv[1:5]
    configs = [ChannelConfig(**c) for c in json.loads(Path(channels_json).read_text())]
    channels = build_channels(configs)
    for channel in channels.values():
        real_send = channel.send

        def send(outgoing, real_send=real_send):
            if when == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = real_send(outgoing)
            os.kill(os.getpid(), signal.SIGKILL)  # sent, not yet recorded
            return result

        channel.send = send
    deliver_due(Store(db), channels, datetime.fromisoformat(now))
    sys.exit(3)  # not reached when a delivery was due


if __name__ == "__main__":
    main()
