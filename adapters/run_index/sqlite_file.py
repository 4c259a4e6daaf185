"""One sqlite3 database file shared by processes: WAL mode, bounded waits, corruption set aside.

Both local state files (the run index and the run-name version counter) are small
databases of the standard library's ``sqlite3``: a lookup reads one row through the
primary key and a write changes one row, so both stay constant-time in the file's size,
unlike a whole-file JSON document that is parsed and rewritten on every call.

- WAL journal: readers never wait for the writer and see the last committed state.
  ``synchronous=NORMAL``: a commit is not fsynced (after a power loss the last writes
  may be lost, never the file's consistency); the files are caches and counters.
- Writes run in ``BEGIN IMMEDIATE`` transactions: two processes never interleave a
  read-modify-write. A write lock not taken within the timeout is an error
  (``RunIndexUnavailableError``), so nothing is ever written unlocked.
- A file that is not a database of this kind (garbage, an old JSON index, another
  application's database) is moved aside to ``<name>.corrupt-<time>`` with a WARNING and
  a fresh database takes its place.
- The file must be on a local file system (WAL needs shared memory between processes).
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from trackwright.domain.errors import RunIndexUnavailableError

logger = logging.getLogger(__name__)


def _locked(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused for a lock another connection holds ("locked", "busy")."""
    return "locked" in str(exc) or "busy" in str(exc)


class NotThisDatabaseError(Exception):
    """The file exists but is not a database of the expected kind; the message says why."""


class SqliteFile:
    """A lazily opened, thread-safe connection to one sqlite3 file with a known schema.

    Args:
        path: The database file; its folder is created on first use.
        application_id: The ``PRAGMA application_id`` that marks a file as ours.
        schema: SQL statements creating the tables (run once, on a new file).
        timeout: Seconds a writer waits for another process's write lock.
    """

    def __init__(self, path: str | Path, application_id: int, schema: str, timeout: float) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._application_id = application_id
        self._schema = schema
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.RLock()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The open connection, for reads (no transaction is held)."""
        with self._lock:
            yield self._open()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """An ``IMMEDIATE`` transaction: committed on success, rolled back on error.

        A file that is not ours is moved aside (with a WARNING) and rebuilt first.

        Raises:
            RunIndexUnavailableError: The write lock was not taken in time, or the
                file cannot be written.
        """
        with self._lock:
            try:
                connection = self._open()
            except NotThisDatabaseError as exc:
                self.move_aside(str(exc))
                connection = self._open()
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._unavailable(exc) from exc
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def _unavailable(self, exc: sqlite3.Error) -> RunIndexUnavailableError:
        if _locked(exc):
            return RunIndexUnavailableError(
                f"write lock on {self.path} not taken within {self.timeout} s"
            )
        return RunIndexUnavailableError(f"{self.path} cannot be written: {exc}")

    def _open(self) -> sqlite3.Connection:
        """The connection of this process, opened (and checked) on first use."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._connection = None  # a connection inherited through fork is never reused
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise RunIndexUnavailableError(f"{self.path} cannot be opened: {exc}") from exc
        try:
            self._prepare(connection)
        except BaseException:
            connection.close()
            raise
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Check the file is ours (create the schema on a new one); WAL on.

        Raises:
            NotThisDatabaseError: Not a database, or another kind of database.
            RunIndexUnavailableError: The file is locked or cannot be read.
        """
        try:
            found = connection.execute("PRAGMA application_id").fetchone()[0]
            if found == 0:
                self._create(connection)
            elif found != self._application_id:
                raise NotThisDatabaseError(f"application id {found} is not a trackwright file")
            self._wal_on(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
                raise self._unavailable(exc) from exc
            raise NotThisDatabaseError(f"not a sqlite3 database: {exc}") from exc

    def _wal_on(self, connection: sqlite3.Connection) -> None:
        """Switch a new file to WAL (once per file: the mode is stored in it), retrying.

        The switch needs the file to itself, and SQLite answers "locked" at once, without
        its busy wait, while another connection holds a write lock on the file (as another
        process does while it creates the schema of the same new file). So the switch is
        retried, with a short random pause, until the timeout. On a file already in WAL
        mode the pragma changes nothing.
        """
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if not _locked(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(random.uniform(0.005, 0.05))
                continue
            if mode != "wal":  # e.g. a file system without shared memory: still correct
                logger.warning("%s: no WAL journal here (mode %s); readers wait", self.path, mode)
            return

    def _create(self, connection: sqlite3.Connection) -> None:
        """Create the schema in an empty file (idempotent: processes may race to do it)."""
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:  # read after the count: a creator sets the id in the same transaction
            if connection.execute("PRAGMA application_id").fetchone()[0] != self._application_id:
                raise NotThisDatabaseError("a sqlite3 database of another application")
            return
        try:
            connection.executescript(
                f"BEGIN IMMEDIATE; {self._schema};"
                f" PRAGMA application_id = {self._application_id}; COMMIT;"
            )
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close this process's connection (a later call opens it again)."""
        with self._lock:
            if self._connection is not None and self._pid == os.getpid():
                self._connection.close()
            self._connection = None

    def move_aside(self, reason: str) -> Path:
        """Move a file that is not ours to ``<name>.corrupt-<time>``, with a WARNING.

        If another process moved it first, nothing is moved and the returned path does
        not exist.
        """
        self.close()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        moved = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, moved)
        except FileNotFoundError:
            return moved
        except OSError as exc:
            raise RunIndexUnavailableError(f"{self.path} cannot be moved aside: {exc}") from exc
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        logger.warning("%s was corrupt (%s); moved to %s and rebuilt", self.path, reason, moved)
        return moved
