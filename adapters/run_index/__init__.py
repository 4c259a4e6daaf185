"""The local run index and run-name version counter, each in a sqlite3 file (WAL mode)."""

from trackwright.adapters.run_index.sqlite_index import SqliteRunIndex, default_index_path

FileRunIndex = SqliteRunIndex
"""The file-backed run index (the name the container uses): ``SqliteRunIndex``."""

__all__ = ["FileRunIndex", "SqliteRunIndex", "default_index_path"]
