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
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trackwright.adapters.run_index.format import (
    IndexFormatError,
    Stores,
    all_entries,
    decode,
    encode,
    entry_of,
    raw_entry,
    size,
)
from trackwright.adapters.run_index.locked_file import LockedFile
from trackwright.domain.errors import RunIndexCorruptError, RunIndexUnavailableError
from trackwright.domain.model import RunRef
from trackwright.domain.run_index import (
    DEFAULT_MAX_ENTRIES,
    IndexEntry,
    entries_to_keep,
    utc_now_iso,
)

logger = logging.getLogger(__name__)
DEFAULT_LOCK_TIMEOUT = 10.0
DEFAULT_TOUCH_INTERVAL = timedelta(hours=1)


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
        self._file = LockedFile(path, lock_timeout)
        self.path = self._file.path
        self.max_entries = max_entries
        self._touch_interval = touch_interval

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
        with self._file.locked():
            stores = self._read_for_write()
            stores.setdefault(tracking_uri, {})[run_key_hash] = raw_entry(entry)
            self._write(stores)

    def forget(self, tracking_uri: str, run_key_hash: str) -> None:
        """See ``RunIndexPort.forget``."""
        with self._file.locked():
            stores = self._read_for_write()
            if stores.get(tracking_uri, {}).pop(run_key_hash, None) is not None:
                self._write(stores)

    def entries(self) -> list[IndexEntry]:
        """Every entry, most recently used first (for inspection and tests)."""
        found = list(all_entries(self._read()))
        return entries_to_keep(found, len(found))

    def _read(self) -> Stores:
        try:
            text = self._file.read_text()
        except UnicodeDecodeError as exc:
            raise IndexFormatError(f"not UTF-8 text: {exc}") from exc
        return {} if text is None else decode(text)

    def _read_for_write(self) -> Stores:
        try:
            return self._read()
        except IndexFormatError as exc:
            self._file.move_aside(str(exc))
            return {}

    def _repair(self, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
        with self._file.locked():
            try:  # another process may have rebuilt it meanwhile
                return entry_of(self._read(), tracking_uri, run_key_hash)
            except IndexFormatError as exc:
                moved = self._file.move_aside(str(exc))
                self._write({})
                raise RunIndexCorruptError(str(self.path), str(moved), str(exc)) from exc

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
        self._file.write_text(encode(self._bounded(stores)))

    def _touch_due(self, entry: IndexEntry) -> bool:
        last_use = datetime.fromisoformat(entry.last_touched)
        return last_use + self._touch_interval <= datetime.now(UTC)

    def _touch(self, entry: IndexEntry) -> None:
        try:
            with self._file.locked():
                stores = self._read_for_write()
                current = stores.get(entry.tracking_uri, {}).get(entry.run_key_hash)
                if current is not None and current.get("run_id") == entry.run_id:
                    current.update(raw_entry(replace(entry, used_at=utc_now_iso())))
                    self._write(stores)
        except RunIndexUnavailableError as exc:
            # Only the eviction order is at stake; the lookup itself succeeded.
            logger.info("run index use not recorded: %s", exc)
