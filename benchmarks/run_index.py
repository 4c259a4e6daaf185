"""The local run index: lookup and record times as the index grows to 100,000 entries.

For each size, a fresh index file (bound: 100,000 entries) is filled with that many
entries in one transaction, then timed per call: ``lookup`` of existing keys (a hit, as
the finder's warm path), and ``record`` of new keys (at 100,000 every record also evicts
the least recently used entry). A second pass runs 8 processes x 200 ``record`` calls at
once on one file and checks that every entry is there.

Run: ``.venv/bin/python benchmarks/run_index.py [calls]`` (prints a table; no assertions).
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from trackwright.adapters.run_index import SqliteRunIndex
from trackwright.domain.identity import sha256_hex
from trackwright.domain.model import RunRef
from trackwright.domain.run_index import utc_now_iso

URI = "http://127.0.0.1:5000"
SIZES = (1_000, 10_000, 100_000)


def key(i: int) -> str:
    """The run-key hash of entry ``i``."""
    return sha256_hex(f"entry-{i}")


def filled(path: Path, size: int) -> SqliteRunIndex:
    """An index at ``path`` holding ``size`` entries (written in one transaction)."""
    index = SqliteRunIndex(path, max_entries=100_000)
    now = utc_now_iso()
    rows = [(URI, key(i), f"{i:032x}", "1", now, None, now) for i in range(size)]
    with index._file.writing() as db:
        db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return index


def timed_ms(calls: list[tuple[object, tuple[object, ...]]]) -> list[float]:
    """Milliseconds per call of each ``(function, arguments)``."""
    samples = []
    for function, arguments in calls:
        started = time.perf_counter()
        function(*arguments)  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def row(label: str, samples: list[float]) -> str:
    """Median and 95th percentile of ``samples``."""
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"{label:<10}{statistics.median(samples):>10.3f}{p95:>10.3f}"


def writer(path: str, number: int, count: int, barrier: object) -> None:
    """One of the concurrent writers: ``count`` records after everyone is ready."""
    index = SqliteRunIndex(path, lock_timeout=120)
    barrier.wait()  # type: ignore[attr-defined]
    for i in range(count):
        index.record(URI, key(number * 1_000_000 + i), RunRef(f"{number:02x}{i:030x}", "1"))


def concurrent(folder: Path, processes: int = 8, count: int = 200) -> str:
    """Run ``processes`` writers at once; how long it took and whether anything was lost."""
    path = folder / "shared.sqlite3"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    workers = [
        context.Process(target=writer, args=(str(path), n, count, barrier))
        for n in range(processes)
    ]
    started = time.perf_counter()
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    elapsed = time.perf_counter() - started
    stored = len(SqliteRunIndex(path).entries())
    wanted = processes * count
    return f"{processes} processes x {count} records: {stored} of {wanted} kept, {elapsed:.1f} s"


def main(calls: int = 500) -> None:
    """Print per-call times at each size, then the concurrent-writer check."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'entries':>8} {'call':<10}{'median ms':>10}{'p95 ms':>10}")
        for size in SIZES:
            index = filled(folder / f"index-{size}.sqlite3", size)
            hits = [(index.lookup, (URI, key(random.randrange(size)))) for _ in range(calls)]
            new = [
                (index.record, (URI, key(size + i), RunRef(f"{i:032x}", "1"))) for i in range(calls)
            ]
            print(f"{size:>8} {row('lookup', timed_ms(hits))}")
            print(f"{size:>8} {row('record', timed_ms(new))}")
            kib = index.path.stat().st_size // 1024
            print(f"{'':>8} (after: {len(index)} entries, file {kib} KiB)")
        print(concurrent(folder))


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:2]])
