"""``FileVersionCounter``: run-name versions in a sqlite3 file, allocated in one transaction.

Allocation is one ``IMMEDIATE`` transaction (see ``sqlite_file``): there is no
reserve/commit pair to leave half done (the original's trial and refit reservations were
never committed, W-18), and concurrent processes never get the same number. The file keeps
at most ``max_keys`` keys, the least recently used going first, so it does not grow forever
(W-21). A file that is not such a database is moved aside and restarted, with a WARNING.
An earlier version's JSON counter (``run_name_counter.json``) is not read.
"""

from __future__ import annotations

from pathlib import Path

from trackwright.adapters.run_index.sqlite_file import SqliteFile
from trackwright.domain.run_index import utc_now_iso

DEFAULT_MAX_KEYS = 1000
APPLICATION_ID = 0x74775643  # "twVC"
SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    counter_key TEXT PRIMARY KEY, last INTEGER NOT NULL, used_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_by_use ON counters (used_at)
"""


def default_counter_path() -> Path:
    """``.trackwright/run_name_counter.sqlite3`` under the current folder."""
    return Path.cwd() / ".trackwright" / "run_name_counter.sqlite3"


class FileVersionCounter:
    """See ``VersionCounterPort``; safe across processes."""

    def __init__(
        self, path: str | Path, max_keys: int = DEFAULT_MAX_KEYS, lock_timeout: float = 10.0
    ) -> None:
        self._file = SqliteFile(path, APPLICATION_ID, SCHEMA, lock_timeout)
        self.max_keys = max_keys

    def next_version(self, counter_key: str) -> int:
        """See ``VersionCounterPort.next_version``."""
        with self._file.writing() as db:
            version = db.execute(
                "INSERT INTO counters VALUES (?, 1, ?) ON CONFLICT (counter_key) DO UPDATE "
                "SET last = last + 1, used_at = excluded.used_at RETURNING last",
                (counter_key, utc_now_iso()),
            ).fetchone()[0]
            db.execute(
                "DELETE FROM counters WHERE counter_key IN (SELECT counter_key FROM counters "
                "ORDER BY used_at DESC LIMIT -1 OFFSET ?)",
                (self.max_keys,),
            )
        return int(version)
