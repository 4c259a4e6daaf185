"""Checking a local store before MLflow opens it, so a store that cannot work fails fast.

MLflow opens an SQL store through ``create_sqlalchemy_engine_with_retry``: ten attempts
with a doubling sleep, about 100 s before a folder that cannot be written is reported,
and then as a raw ``sqlalchemy`` exception. It also creates missing folders and an empty
database wherever a mistyped path points. This module answers first, in milliseconds,
with ``TrackingStoreError``:

- ``sqlite:`` URIs: the URI must name a file; an existing file must be an SQLite
  database; a new one must be creatable (its folder is created only when ``create``).
- file stores (a plain path or ``file:``): with ``create=False`` the folder must exist.

With ``create=False`` (the CLI's read commands) nothing is ever created: a missing
database, or an SQLite file without MLflow's tables, is an error rather than a new store.
Other schemes (HTTP, PostgreSQL, MySQL, Azure ML) are left to MLflow and its transport.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from trackwright.adapters.mlflow_store.errors import translating
from trackwright.domain.errors import TrackingError, TrackingStoreError, TrackingUnavailableError
from trackwright.domain.uris import redacted_uri

SQLITE_HEADER = b"SQLite format 3\x00"
_LOCK_WAIT_SECONDS = 2.0


def check_store(uri: str, *, create: bool = True) -> None:
    """Refuse a local store that cannot be opened, before MLflow tries (and retries).

    Raises:
        TrackingStoreError: The URI cannot be parsed, the path is not a database, its
            folder cannot be written, or (``create=False``) there is no store there.
    """
    scheme = urlsplit(uri).scheme.lower()
    if scheme == "sqlite":
        _check_sqlite(uri, create)
    elif not create and (scheme in ("", "file") or len(scheme) == 1):  # C:\ is a path
        _check_file_store(uri)


@contextmanager
def opening_store() -> Iterator[None]:
    """Translate failures while MLflow builds its client.

    Any answer but "unavailable" means the store cannot be used as configured.
    """
    try:
        with translating("connect"):
            yield
    except TrackingUnavailableError:
        raise
    except TrackingError as exc:
        message = str(exc).removeprefix("connect: ").strip()
        raise TrackingStoreError(message, operation="connect") from exc


def _store_error(uri: str, problem: str) -> TrackingStoreError:
    return TrackingStoreError(f"{problem} ({redacted_uri(uri)})", operation="open_store")


def sqlite_path(uri: str) -> Path | None:
    """The database file of a ``sqlite:`` URI (None: an in-memory database).

    Raises:
        TrackingStoreError: The URI names no file MLflow could open (``sqlite:``).
    """
    try:
        database = make_url(uri).database
    except ArgumentError as exc:
        raise _store_error(uri, "cannot parse the sqlite URI; write sqlite:///path.db") from exc
    if database is None or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _check_sqlite(uri: str, create: bool) -> None:
    path = sqlite_path(uri)
    if path is None:
        return
    if path.exists():
        _check_database_file(uri, path, create)
    elif not create:
        raise _store_error(uri, f"no MLflow database at {path}; read commands never create one")
    else:
        _check_creatable(uri, path)


def _check_database_file(uri: str, path: Path, create: bool) -> None:
    if not path.is_file():
        raise _store_error(uri, f"{path} is not a file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise _store_error(uri, f"cannot read {path}: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise _store_error(uri, f"{path} is not an SQLite database")
    if not create and not _has_mlflow_tables(uri, path):
        raise _store_error(uri, f"{path} is not an MLflow database (it has no experiments table)")


def _has_mlflow_tables(uri: str, path: Path) -> bool:
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            db.execute(f"PRAGMA busy_timeout = {int(_LOCK_WAIT_SECONDS * 1000)}")
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'experiments'"
            ).fetchone()
    except sqlite3.Error as exc:
        raise _store_error(uri, f"cannot read {path}: {exc}") from exc
    return found is not None


def _check_creatable(uri: str, path: Path) -> None:
    """Make the folder and the empty database file, as MLflow would, but fail at once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(path, timeout=_LOCK_WAIT_SECONDS).close()
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _store_error(uri, f"cannot create a database at {path}: {reason}") from exc


def _check_file_store(uri: str) -> None:
    parts = urlsplit(uri)
    folder = Path(unquote(parts.path)) if parts.scheme == "file" else Path(uri)
    if not folder.is_dir():
        raise _store_error(uri, f"no MLflow file store at {folder}; read commands never create one")
