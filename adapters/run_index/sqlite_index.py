"""``SqliteRunIndex``: the local run index in a sqlite3 file, constant-time in its size.

One row per (tracking URI, run-key hash), keyed by both, so two stores never overwrite
each other's keys. A lookup reads one row through the primary key; a record or forget
changes one row in an ``IMMEDIATE`` transaction, so concurrent processes lose nothing.
Triggers keep the row count in the file, and past the bound the least recently used rows
go first (an index on the last-use time finds them), so even a full index costs a few
row operations per write.

Files: the default is ``.trackwright/run_index.sqlite3``. An index left by earlier
versions (``.trackwright/run_index.json``) is ignored: it is a cache, and the finder
re-records each run it finds by its run-key tag. A file at the configured path that is
not such a database (garbage, an old JSON index) is moved aside with a WARNING, rebuilt
empty, and ``lookup`` raises ``RunIndexCorruptError`` once so the finder reports it.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trackwright.adapters.run_index.sqlite_file import NotThisDatabaseError, SqliteFile
from trackwright.domain.errors import RunIndexCorruptError, RunIndexUnavailableError
from trackwright.domain.model import RunRef
from trackwright.domain.run_index import IndexEntry, utc_now_iso

logger = logging.getLogger(__name__)
DEFAULT_MAX_ENTRIES = 100_000
DEFAULT_LOCK_TIMEOUT = 10.0
DEFAULT_TOUCH_INTERVAL = timedelta(hours=1)
APPLICATION_ID = 0x74775249  # "twRI"
_COLUMNS = "tracking_uri, run_key_hash, run_id, experiment_id, updated_at, used_at"
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    tracking_uri TEXT NOT NULL, run_key_hash TEXT NOT NULL,
    run_id TEXT NOT NULL, experiment_id TEXT NOT NULL,
    updated_at TEXT NOT NULL, used_at TEXT, last_touched TEXT NOT NULL,
    PRIMARY KEY (tracking_uri, run_key_hash)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_use ON entries (last_touched);
CREATE TABLE IF NOT EXISTS size (entries INTEGER NOT NULL);
INSERT INTO size SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM size);
CREATE TRIGGER IF NOT EXISTS entry_added AFTER INSERT ON entries
    BEGIN UPDATE size SET entries = entries + 1; END;
CREATE TRIGGER IF NOT EXISTS entry_removed AFTER DELETE ON entries
    BEGIN UPDATE size SET entries = entries - 1; END
"""


def default_index_path() -> Path:
    """``.trackwright/run_index.sqlite3`` under the current folder."""
    return Path.cwd() / ".trackwright" / "run_index.sqlite3"


class SqliteRunIndex:
    """The run index in a sqlite3 file (see the module docstring for the guarantees).

    Args:
        path: The index file; its folder is created on first use.
        max_entries: The bound; past it, the least recently used entries are evicted.
        lock_timeout: Seconds a write waits for another process's write lock before
            ``RunIndexUnavailableError``.
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
        self._file = SqliteFile(path, APPLICATION_ID, SCHEMA, lock_timeout)
        self.path = self._file.path
        self.max_entries = max_entries
        self._touch_interval = touch_interval

    def lookup(self, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
        """See ``RunIndexPort.lookup`` (read-only unless the hit's use is due to be noted)."""
        try:
            with self._file.reading() as db:
                row = db.execute(
                    f"SELECT {_COLUMNS} FROM entries WHERE tracking_uri = ? AND run_key_hash = ?",
                    (tracking_uri, run_key_hash),
                ).fetchone()
        except NotThisDatabaseError as exc:
            moved = self._file.move_aside(str(exc))
            raise RunIndexCorruptError(str(self.path), str(moved), str(exc)) from exc
        except sqlite3.Error as exc:
            raise RunIndexUnavailableError(f"{self.path} cannot be read: {exc}") from exc
        found = None if row is None else IndexEntry(*row)
        if found is not None and self._touch_due(found):
            self._touch(found)
        return found

    def record(self, tracking_uri: str, run_key_hash: str, run: RunRef) -> None:
        """See ``RunIndexPort.record``."""
        now = utc_now_iso()
        values = (run.run_id, run.experiment_id, now, now, tracking_uri, run_key_hash)
        with self._file.writing() as db:
            changed = db.execute(
                "UPDATE entries SET run_id = ?, experiment_id = ?, updated_at = ?, "
                "used_at = NULL, last_touched = ? WHERE tracking_uri = ? AND run_key_hash = ?",
                values,
            ).rowcount
            if changed:
                return
            db.execute(
                f"INSERT INTO entries ({_COLUMNS}, last_touched) VALUES (?, ?, ?, ?, ?, NULL, ?)",
                (tracking_uri, run_key_hash, run.run_id, run.experiment_id, now, now),
            )
            self._evict(db)

    def forget(self, tracking_uri: str, run_key_hash: str) -> None:
        """See ``RunIndexPort.forget``."""
        with self._file.writing() as db:
            db.execute(
                "DELETE FROM entries WHERE tracking_uri = ? AND run_key_hash = ?",
                (tracking_uri, run_key_hash),
            )

    def entries(self) -> list[IndexEntry]:
        """Every entry, most recently used first (for inspection and tests)."""
        with self._file.reading() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM entries ORDER BY last_touched DESC"
            ).fetchall()
        return [IndexEntry(*row) for row in rows]

    def __len__(self) -> int:
        with self._file.reading() as db:
            return int(db.execute("SELECT entries FROM size").fetchone()[0])

    def _evict(self, db: sqlite3.Connection) -> None:
        excess = int(db.execute("SELECT entries FROM size").fetchone()[0]) - self.max_entries
        if excess <= 0:
            return
        db.execute(
            "DELETE FROM entries WHERE (tracking_uri, run_key_hash) IN (SELECT tracking_uri, "
            "run_key_hash FROM entries ORDER BY last_touched LIMIT ?)",
            (excess,),
        )
        logger.debug("run index %s full: evicted %d least recently used", self.path, excess)

    def _touch_due(self, entry: IndexEntry) -> bool:
        last_use = datetime.fromisoformat(entry.last_touched)
        return last_use + self._touch_interval <= datetime.now(UTC)

    def _touch(self, entry: IndexEntry) -> None:
        now = utc_now_iso()
        try:
            with self._file.writing() as db:
                db.execute(
                    "UPDATE entries SET used_at = ?, last_touched = ? "
                    "WHERE tracking_uri = ? AND run_key_hash = ? AND run_id = ?",
                    (now, now, entry.tracking_uri, entry.run_key_hash, entry.run_id),
                )
        except RunIndexUnavailableError as exc:
            # Only the eviction order is at stake; the lookup itself succeeded.
            logger.info("run index use not recorded: %s", exc)
