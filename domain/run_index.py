"""The local run index's value object and eviction rule, shared by every index adapter.

The index is a cache: run-key hash to run, per tracking URI (a local store and a remote one
never overwrite each other, W-21). Losing an entry only costs one tag search, so the index
is bounded; when it is full, the least recently *used* entries go first (the original
evicted by write time, so a hot entry written long ago was dropped first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

DEFAULT_MAX_ENTRIES = 10_000


def utc_now_iso() -> str:
    """Now, as an ISO-8601 UTC timestamp with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """Where the run with one run key lives, on one tracking URI.

    Attributes:
        tracking_uri: The store the run lives in (credentials removed).
        run_key_hash: sha256 of the run key.
        run_id: The run.
        experiment_id: The run's experiment.
        updated_at: When the entry was last written (ISO-8601 UTC).
        used_at: When a lookup last returned it (ISO-8601 UTC), if ever.
    """

    tracking_uri: str
    run_key_hash: str
    run_id: str
    experiment_id: str
    updated_at: str
    used_at: str | None = None

    @property
    def last_touched(self) -> str:
        """The later of the write and the last use: the eviction order."""
        return max(self.updated_at, self.used_at or "")


def entries_to_keep(entries: Iterable[IndexEntry], max_entries: int) -> list[IndexEntry]:
    """The ``max_entries`` most recently used or written entries (all, when fewer)."""
    ranked = sorted(entries, key=lambda e: e.last_touched, reverse=True)
    return ranked[:max_entries]
