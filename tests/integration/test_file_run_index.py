"""The run index adapters: shared behaviour on both, and the file's concurrency and repair."""

from __future__ import annotations

import logging
import multiprocessing
import time
from datetime import timedelta
from pathlib import Path

import pytest
from filelock import FileLock

from tests.integration.index_writers import URI, expected_entry, write_entries
from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.memory.run_index import InMemoryRunIndex
from trackwright.adapters.run_index import FileRunIndex
from trackwright.domain.errors import RunIndexCorruptError, RunIndexUnavailableError
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.lookup import FindRequest
from trackwright.domain.identity import run_key_hash
from trackwright.domain.model import RunRef
from trackwright.domain.ports import RunIndexPort
from trackwright.domain.tags.keys import TagKeyRegistry

LOCAL, REMOTE = "sqlite:///local.db", "https://mlflow.example.com"
KEY = "k" * 64


@pytest.fixture(params=["memory", "file"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> RunIndexPort:
    if request.param == "memory":
        return InMemoryRunIndex(max_entries=2)
    return FileRunIndex(tmp_path / "index.json", max_entries=2, touch_interval=timedelta(0))


def test_an_entry_is_found_by_tracking_uri_and_key(index: RunIndexPort) -> None:
    index.record(LOCAL, KEY, RunRef("a" * 32, "3"))
    found = index.lookup(LOCAL, KEY)
    assert found is not None and (found.run_id, found.experiment_id) == ("a" * 32, "3")
    assert index.lookup(LOCAL, "x" * 64) is None


def test_two_tracking_uris_never_overwrite_each_other(index: RunIndexPort) -> None:
    index.record(LOCAL, KEY, RunRef("a" * 32, "1"))
    index.record(REMOTE, KEY, RunRef("b" * 32, "2"))
    local, remote = index.lookup(LOCAL, KEY), index.lookup(REMOTE, KEY)
    assert local is not None and local.run_id == "a" * 32
    assert remote is not None and remote.run_id == "b" * 32


def test_forget_drops_one_entry(index: RunIndexPort) -> None:
    index.record(LOCAL, KEY, RunRef("a" * 32, "1"))
    index.record(REMOTE, KEY, RunRef("b" * 32, "2"))
    index.forget(LOCAL, KEY)
    index.forget(LOCAL, "never-recorded")
    assert index.lookup(LOCAL, KEY) is None and index.lookup(REMOTE, KEY) is not None


def test_the_least_recently_used_entry_is_evicted_when_full(index: RunIndexPort) -> None:
    index.record(LOCAL, "old-but-used", RunRef("a" * 32, "1"))
    index.record(LOCAL, "newer-unused", RunRef("b" * 32, "1"))
    time.sleep(0.002)
    assert index.lookup(LOCAL, "old-but-used") is not None
    index.record(LOCAL, "newest", RunRef("c" * 32, "1"))
    assert index.lookup(LOCAL, "newer-unused") is None
    assert index.lookup(LOCAL, "old-but-used") is not None
    assert index.lookup(LOCAL, "newest") is not None


def test_eight_processes_writing_at_once_lose_no_entry(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "index.json"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(8)
    writers = [
        context.Process(target=write_entries, args=(str(path), w, 200, barrier)) for w in range(8)
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    assert [p.exitcode for p in writers] == [0] * 8
    stored = {(e.run_key_hash, e.run_id) for e in FileRunIndex(path).entries()}
    assert stored == {expected_entry(w, i) for w in range(8) for i in range(200)}
    assert Path(f"{path}.lock").exists()
    assert sorted(p.name for p in path.parent.iterdir()) == ["index.json", "index.json.lock"]


def test_the_lock_file_is_kept_after_release(tmp_path: Path) -> None:
    index = FileRunIndex(tmp_path / "index.json")
    index.record(URI, KEY, RunRef("a" * 32, "1"))
    assert (tmp_path / "index.json.lock").exists()


def test_a_held_lock_is_an_error_not_an_unlocked_write(tmp_path: Path) -> None:
    path = tmp_path / "index.json"
    index = FileRunIndex(path, lock_timeout=0.05)
    with FileLock(f"{path}.lock"), pytest.raises(RunIndexUnavailableError, match="not taken"):
        index.record(URI, KEY, RunRef("a" * 32, "1"))
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"format": "something-else"}',
        '{"format": "trackwright-run-index", "version": 1, "stores": {"u": {"k": {}}}}',
    ],
)
def test_a_corrupt_index_is_reported_kept_aside_and_rebuilt(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.json"
    path.write_text(content, encoding="utf-8")
    index = FileRunIndex(path)
    with caplog.at_level(logging.WARNING), pytest.raises(RunIndexCorruptError) as caught:
        index.lookup("u", "k")
    assert any("corrupt" in r.getMessage() for r in caplog.records)
    assert Path(caught.value.moved_to).read_text(encoding="utf-8") == content
    assert index.lookup("u", "k") is None
    index.record("u", "k", RunRef("a" * 32, "1"))
    assert index.entries()[0].run_id == "a" * 32


def test_a_write_over_a_corrupt_index_warns_and_keeps_the_new_entry(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.json"
    path.write_bytes(b"\xff\xfe garbage")
    with caplog.at_level(logging.WARNING):
        FileRunIndex(path).record(URI, KEY, RunRef("a" * 32, "1"))
    assert any("corrupt" in r.getMessage() for r in caplog.records)
    assert [e.run_id for e in FileRunIndex(path).entries()] == ["a" * 32]
    assert len(list(tmp_path.glob("index.json.corrupt-*"))) == 1


def test_the_finder_reports_a_corrupt_index_and_still_finds_the_run(tmp_path: Path) -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    key = run_key_hash("hpo:bert:trial_1")
    run = fake.create_run(exp, "r", {"code.run_key_hash": key})
    path = tmp_path / "index.json"
    path.write_text("[]", encoding="utf-8")
    finder = RunFinder(fake, FileRunIndex(path), TagKeyRegistry.defaults())
    report = finder.find(FindRequest(exp, run_key_hash=key))
    assert report.run_id == run.run_id and report.strategy_used == "tag_run_key_hash"
    assert "corrupt" in report.strategies_attempted[0].outcome
    assert finder.find(FindRequest(exp, run_key_hash=key)).strategy_used == "local_index"
