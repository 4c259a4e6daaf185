"""One JSON state file shared by processes: locked read-modify-write, atomic replace.

The lock (``filelock.FileLock``) is kept on release (deleting it let two processes hold
"the" lock at once in the original, W-6); a lock not taken in time is an error, so nothing
is ever written unlocked. Writes land with ``os.replace`` of a temporary file in the same
folder: readers see the old or the new file, never half of one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from trackwright.domain.errors import RunIndexUnavailableError

logger = logging.getLogger(__name__)
POLL_INTERVAL = 0.002


class LockedFile:
    """A text file with an inter-process lock beside it (``<path>.lock``)."""

    def __init__(self, path: str | Path, lock_timeout: float) -> None:
        self.path = Path(path)
        self._lock = FileLock(f"{self.path}.lock", timeout=lock_timeout, preserve_lock_file=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock for a read-modify-write.

        Raises:
            RunIndexUnavailableError: The lock was not taken in time or cannot be created.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire(poll_interval=POLL_INTERVAL)
        except Timeout as exc:
            raise RunIndexUnavailableError(
                f"lock {self._lock.lock_file} not taken within {self._lock.timeout} s"
            ) from exc
        except OSError as exc:
            raise RunIndexUnavailableError(f"{self.path} cannot be locked: {exc}") from exc
        try:
            yield
        finally:
            self._lock.release()

    def read_text(self) -> str | None:
        """The file's text, or None when it does not exist.

        Raises:
            UnicodeDecodeError: The file is not UTF-8 (the caller treats it as corrupt).
            RunIndexUnavailableError: The file exists but cannot be read.
        """
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            raise
        except OSError as exc:
            raise RunIndexUnavailableError(f"{self.path} cannot be read: {exc}") from exc

    def write_text(self, text: str) -> None:
        """Replace the file's content atomically (call while holding the lock)."""
        fd, temp = tempfile.mkstemp(
            prefix=f"{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.path)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise RunIndexUnavailableError(f"{self.path} cannot be written: {exc}") from exc

    def move_aside(self, reason: str) -> Path:
        """Move a corrupt file to ``<name>.corrupt-<time>`` and say so at WARNING."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        moved = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, moved)
        except OSError as exc:
            raise RunIndexUnavailableError(f"{self.path} cannot be moved aside: {exc}") from exc
        logger.warning("%s was corrupt (%s); moved to %s and rebuilt", self.path, reason, moved)
        return moved

    @property
    def lock_timeout(self) -> float:
        """Seconds a writer waits for the lock."""
        return float(self._lock.timeout)
