"""A worker process for the run-index concurrency test (importable by spawned children)."""

from __future__ import annotations

from typing import Any

from trackwright.adapters.run_index import SqliteRunIndex
from trackwright.domain.identity import sha256_hex
from trackwright.domain.model import RunRef

URI = "sqlite:///concurrent.db"


def expected_entry(writer: int, i: int) -> tuple[str, str]:
    """The run key hash and run id writer ``writer`` records as its ``i``-th entry."""
    return sha256_hex(f"writer-{writer}-entry-{i}"), f"{writer:02x}{i:030x}"


def write_entries(path: str, writer: int, count: int, barrier: Any) -> None:
    """Wait for every writer, then record ``count`` entries one write at a time."""
    index = SqliteRunIndex(path, lock_timeout=120)
    barrier.wait()
    for i in range(count):
        key, run_id = expected_entry(writer, i)
        index.record(URI, key, RunRef(run_id, str(writer)))
