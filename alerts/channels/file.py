"""Channel `file`: writes each delivery as `<id>.html`, `<id>.txt` and `<id>.eml` (plus the
chart as `<id>-chart.png`) into `directory`. The file names are the delivery id, so sending
the same delivery again rewrites the same files: a retry never makes a second copy.

    [[channels]]
    name = "daily-digest"
    type = "file"
    directory = "digests"     # relative to the config file's folder
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from alerts.channels.base import Channel, DeliveryError, Outgoing, Setting
from alerts.mime import build_email


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_stem(delivery_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-_]", "-", delivery_id)


class FileChannel(Channel):
    """Write digests and alerts as files; the embedded default channel."""

    type_name = "file"
    SETTINGS = {
        "directory": Setting(str, default="digests", help="folder for the files"),
        "from": Setting(str, default="kashmir-monitor@localhost", help="From: of the .eml"),
        "to": Setting(list, default=["reader@localhost"], help="To: of the .eml"),
    }

    def send(self, outgoing: Outgoing) -> str:
        folder = self.path(self.settings["directory"])
        stem = file_stem(outgoing.id)
        message = outgoing.message
        html = message.html
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for i, image in enumerate(message.images):
                name = f"{stem}-chart.png" if i == 0 else f"{stem}-image{i}.png"
                write_atomically(folder / name, image.data)
                # the HTML file shows the chart from the file next to it instead of by CID
                html = html.replace(f'src="cid:{image.cid}"', f'src="{name}"')
            email = build_email(outgoing, sender=self.settings["from"],
                                recipients=list(self.settings["to"]))
            write_atomically(folder / f"{stem}.eml", email.as_bytes())
            write_atomically(folder / f"{stem}.txt", message.text.encode("utf-8"))
            # the .html last: its presence means the delivery is complete on disk
            write_atomically(folder / f"{stem}.html", html.encode("utf-8"))
        except OSError as exc:
            raise DeliveryError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
        return f"wrote {folder / stem}.html"
