"""One daemon per database: an exclusive fcntl lock on a file next to the database.

The kernel releases the lock when the holder dies, even by kill -9, so a crash never leaves a
stale lock behind (unlike a pid file). The pid inside the file only serves the error message.
Caveat: flock is unreliable on some network filesystems; keep the database on a local disk.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the lock for this database."""


def lock_path_for(db_path: Path | str) -> Path:
    """`kashmir-monitor.db` → `kashmir-monitor.db.lock`, in the same folder."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


class DaemonLock:
    """An exclusive, non-blocking lock for one database; use as a context manager."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path_for(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning with a message naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise AlreadyRunning(
                f"another kashmir-monitor daemon{who} is already running on {self.db_path}; "
                f"lock held on {self.path}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # Leave the file in place: unlinking it would race a process that just opened it.
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> DaemonLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
