"""``FileRunIndex``: the run index as one JSON file, safe for concurrent processes.

Every write is read-modify-write under an inter-process ``filelock.FileLock`` and lands
with ``os.replace`` of a temporary file in the same folder, so readers see the old or the
new index, never half of one, and concurrent writers lose nothing. The lock file is kept
on release (the original deleted it, which let two processes hold "the" lock at once,
W-6). A lock not taken within the timeout is an error: nothing is ever written unlocked.
Writes are not fsynced: after a power loss the index may be empty or corrupt, which is
handled below, and it is a cache.

A corrupt file is never silently ignored: it is moved aside (``<name>.corrupt-<time>``),
an empty index takes its place, a WARNING is logged, and ``lookup`` raises
``RunIndexCorruptError`` once so the finder reports it. Entries are hints, so rebuilding
empty loses only speed: the finder re-records runs it finds by their run-key tag.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from adapters.run_index.format import (
    IndexFormatError,
    Stores,
    all_entries,
    decode,
    encode,
    entry_of,
    raw_entry,
    size,
)
from domain.errors import RunIndexCorruptError, RunIndexUnavailableError
from domain.model import RunRef
from domain.run_index import DEFAULT_MAX_ENTRIES, IndexEntry, entries_to_keep, utc_now_iso

logger = logging.getLogger(__name__)
DEFAULT_LOCK_TIMEOUT = 10.0
DEFAULT_TOUCH_INTERVAL = timedelta(hours=1)
POLL_INTERVAL = 0.002


def default_index_path() -> Path:
    """``.trackwright/run_index.json`` under the current folder."""
    return Path.cwd() / ".trackwright" / "run_index.json"


class FileRunIndex:
    """The run index in a JSON file (see the module docstring for the guarantees).

    Args:
        path: The index file; its folder is created on the first write.
        max_entries: The bound; past it, the least recently used entries are evicted.
        lock_timeout: Seconds to wait for the lock before ``RunIndexUnavailableError``.
        touch_interval: A hit rewrites the entry's ``used_at`` at most this often, so
            lookups of hot entries stay read-only while eviction still follows use.
    """

    def __init__(
        self,
        path: str | Path,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        touch_interval: timedelta = DEFAULT_TOUCH_INTERVAL,
    ) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self._touch_interval = touch_interval
        self._lock = FileLock(f"{self.path}.lock", timeout=lock_timeout, preserve_lock_file=True)

    def lookup(self, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
        """See ``RunIndexPort.lookup`` (no lock unless it repairs or touches)."""
        try:
            found = entry_of(self._read(), tracking_uri, run_key_hash)
        except IndexFormatError:
            found = self._repair(tracking_uri, run_key_hash)
        if found is not None and self._touch_due(found):
            self._touch(found)
        return found

    def record(self, tracking_uri: str, run_key_hash: str, run: RunRef) -> None:
        """See ``RunIndexPort.record``."""
        entry = IndexEntry(tracking_uri, run_key_hash, run.run_id, run.experiment_id, utc_now_iso())
        with self._locked():
            stores = self._read_for_write()
            stores.setdefault(tracking_uri, {})[run_key_hash] = raw_entry(entry)
            self._write(stores)

    def forget(self, tracking_uri: str, run_key_hash: str) -> None:
        """See ``RunIndexPort.forget``."""
        with self._locked():
            stores = self._read_for_write()
            if stores.get(tracking_uri, {}).pop(run_key_hash, None) is not None:
                self._write(stores)

    def entries(self) -> list[IndexEntry]:
        """Every entry, most recently used first (for inspection and tests)."""
        found = list(all_entries(self._read()))
        return entries_to_keep(found, len(found))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire(poll_interval=POLL_INTERVAL)
        except Timeout as exc:
            raise RunIndexUnavailableError(
                f"run index lock {self._lock.lock_file} not taken within {self._lock.timeout} s"
            ) from exc
        except OSError as exc:
            raise RunIndexUnavailableError(
                f"run index {self.path} cannot be locked: {exc}"
            ) from exc
        try:
            yield
        finally:
            self._lock.release()

    def _read(self) -> Stores:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except UnicodeDecodeError as exc:
            raise IndexFormatError(f"not UTF-8 text: {exc}") from exc
        except OSError as exc:
            raise RunIndexUnavailableError(f"run index {self.path} cannot be read: {exc}") from exc
        return decode(text)

    def _read_for_write(self) -> Stores:
        try:
            return self._read()
        except IndexFormatError as exc:
            self._move_aside(str(exc))
            return {}

    def _repair(self, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
        with self._locked():
            try:  # another process may have rebuilt it meanwhile
                return entry_of(self._read(), tracking_uri, run_key_hash)
            except IndexFormatError as exc:
                moved = self._move_aside(str(exc))
                self._write({})
                raise RunIndexCorruptError(str(self.path), str(moved), str(exc)) from exc

    def _move_aside(self, reason: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        moved = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, moved)
        logger.warning(
            "run index %s was corrupt (%s); moved to %s and rebuilt", self.path, reason, moved
        )
        return moved

    def _bounded(self, stores: Stores) -> Stores:
        if size(stores) <= self.max_entries:
            return stores
        kept = entries_to_keep(all_entries(stores), self.max_entries)
        logger.info("run index %s full: kept the %d most recently used", self.path, len(kept))
        bounded: Stores = {}
        for e in kept:
            bounded.setdefault(e.tracking_uri, {})[e.run_key_hash] = raw_entry(e)
        return bounded

    def _write(self, stores: Stores) -> None:
        text = encode(self._bounded(stores))
        fd, temp = tempfile.mkstemp(
            prefix=f"{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.path)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise RunIndexUnavailableError(
                f"run index {self.path} cannot be written: {exc}"
            ) from exc

    def _touch_due(self, entry: IndexEntry) -> bool:
        last_use = datetime.fromisoformat(entry.last_touched)
        return last_use + self._touch_interval <= datetime.now(UTC)

    def _touch(self, entry: IndexEntry) -> None:
        try:
            with self._locked():
                stores = self._read_for_write()
                current = stores.get(entry.tracking_uri, {}).get(entry.run_key_hash)
                if current is not None and current.get("run_id") == entry.run_id:
                    current.update(raw_entry(replace(entry, used_at=utc_now_iso())))
                    self._write(stores)
        except RunIndexUnavailableError as exc:
            # Only the eviction order is at stake; the lookup itself succeeded.
            logger.info("run index use not recorded: %s", exc)
