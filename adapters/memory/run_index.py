"""``InMemoryRunIndex``: the run index for tests and the in-memory container."""

from __future__ import annotations

import threading
from dataclasses import replace

from trackwright.domain.model import RunRef
from trackwright.domain.run_index import (
    DEFAULT_MAX_ENTRIES,
    IndexEntry,
    entries_to_keep,
    utc_now_iso,
)


class InMemoryRunIndex:
    """A thread-safe, dict-backed run index with the file index's keys and eviction rule.

    Attributes:
        max_entries: The bound; the least recently used entries go first.
    """

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], IndexEntry] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
        """See ``RunIndexPort.lookup``; a hit counts as a use."""
        with self._lock:
            found = self._entries.get((tracking_uri, run_key_hash))
            if found is None:
                return None
            used = replace(found, used_at=utc_now_iso())
            self._entries[(tracking_uri, run_key_hash)] = used
            return used

    def record(self, tracking_uri: str, run_key_hash: str, run: RunRef) -> None:
        """See ``RunIndexPort.record``."""
        entry = IndexEntry(tracking_uri, run_key_hash, run.run_id, run.experiment_id, utc_now_iso())
        with self._lock:
            self._entries[(tracking_uri, run_key_hash)] = entry
            if len(self._entries) > self.max_entries:
                kept = entries_to_keep(self._entries.values(), self.max_entries)
                self._entries = {(e.tracking_uri, e.run_key_hash): e for e in kept}

    def forget(self, tracking_uri: str, run_key_hash: str) -> None:
        """See ``RunIndexPort.forget``."""
        with self._lock:
            self._entries.pop((tracking_uri, run_key_hash), None)
