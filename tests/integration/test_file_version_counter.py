"""The file version counter across processes: every number handed out once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from trackwright.adapters.run_index.version_counter import FileVersionCounter


def _allocate(path: str, count: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    counter = FileVersionCounter(path)
    queue.put([counter.next_version("shared") for _ in range(count)])


def test_four_processes_never_get_the_same_version(tmp_path: Path) -> None:
    path = str(tmp_path / "counter.sqlite3")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_allocate, args=(path, 50, queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    got = [v for _ in workers for v in queue.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(got) == list(range(1, 201))


def test_a_corrupt_counter_file_is_moved_aside_and_restarted(tmp_path: Path) -> None:
    path = tmp_path / "counter.sqlite3"
    path.write_text("{not json")
    assert FileVersionCounter(path).next_version("k") == 1
    assert len(list(tmp_path.glob("counter.sqlite3.corrupt-*"))) == 1


def test_the_file_keeps_at_most_max_keys(tmp_path: Path) -> None:
    counter = FileVersionCounter(tmp_path / "counter.sqlite3", max_keys=3)
    for key in "abcde":
        counter.next_version(key)
    assert counter.next_version("e") == 2
    assert counter.next_version("a") == 1
