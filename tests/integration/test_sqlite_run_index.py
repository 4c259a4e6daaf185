"""The run index adapters: shared behaviour on both; the sqlite file's concurrency and repair."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.integration.index_writers import URI, expected_entry, write_entries
from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.memory.run_index import InMemoryRunIndex
from trackwright.adapters.run_index import SqliteRunIndex
from trackwright.adapters.run_index.sqlite_file import SqliteFile
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
    return SqliteRunIndex(tmp_path / "index.sqlite3", max_entries=2, touch_interval=timedelta(0))


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
    path = tmp_path / "shared" / "index.sqlite3"
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
    stored = {(e.run_key_hash, e.run_id) for e in SqliteRunIndex(path).entries()}
    assert stored == {expected_entry(w, i) for w in range(8) for i in range(200)}
    assert not list(path.parent.glob("*.corrupt-*"))


def test_a_held_write_lock_is_an_error_not_an_unlocked_write(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    index = SqliteRunIndex(path, lock_timeout=0.05)
    index.record(URI, "first", RunRef("a" * 32, "1"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(RunIndexUnavailableError, match="not taken"):
            index.record(URI, KEY, RunRef("b" * 32, "1"))
        assert index.lookup(URI, "first") is not None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert index.lookup(URI, KEY) is None


def test_lookups_go_on_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    SqliteRunIndex(path).record(URI, KEY, RunRef("a" * 32, "1"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        found = SqliteRunIndex(path, lock_timeout=0.05).lookup(URI, KEY)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert found is not None and found.run_id == "a" * 32


def test_opening_waits_for_a_writer_holding_a_file_not_yet_in_wal_mode(tmp_path: Path) -> None:
    # Processes opening a new file race: one creates it (a write lock) while another switches
    # it to WAL. SQLite refuses that switch at once, without waiting, so the opener retries.
    path = tmp_path / "state.sqlite3"
    first = SqliteFile(path, 7, "CREATE TABLE t (x INTEGER)", timeout=10)
    with first.writing() as db:
        db.execute("INSERT INTO t VALUES (1)")
    first.close()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    assert other.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, other.execute, args=("ROLLBACK",))
    release.start()
    started = time.monotonic()
    try:
        with SqliteFile(path, 7, "CREATE TABLE t (x INTEGER)", timeout=10).reading() as db:
            rows = db.execute("SELECT x FROM t").fetchall()
    finally:
        release.join()
        other.close()
    assert rows == [(1,)]
    assert 0.25 <= time.monotonic() - started < 10
    probe = sqlite3.connect(path)
    assert probe.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    probe.close()


def _another_database(path: Path) -> bytes:
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (body TEXT)")
    other.commit()
    other.close()
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["garbage", "json index", "another database"])
def test_a_corrupt_index_is_reported_kept_aside_and_rebuilt(
    tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.sqlite3"
    if kind == "another database":
        content = _another_database(path)
    else:
        content = b"{not json" if kind == "garbage" else b'{"format": "trackwright-run-index"}'
        path.write_bytes(content)
    index = SqliteRunIndex(path)
    with caplog.at_level(logging.WARNING), pytest.raises(RunIndexCorruptError) as caught:
        index.lookup("u", "k")
    assert any("corrupt" in r.getMessage() for r in caplog.records)
    assert Path(caught.value.moved_to).read_bytes() == content
    assert index.lookup("u", "k") is None
    index.record("u", "k", RunRef("a" * 32, "1"))
    assert index.entries()[0].run_id == "a" * 32


def test_a_write_over_a_corrupt_index_warns_and_keeps_the_new_entry(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.sqlite3"
    path.write_bytes(b"\xff\xfe garbage")
    with caplog.at_level(logging.WARNING):
        SqliteRunIndex(path).record(URI, KEY, RunRef("a" * 32, "1"))
    assert any("corrupt" in r.getMessage() for r in caplog.records)
    assert [e.run_id for e in SqliteRunIndex(path).entries()] == ["a" * 32]
    assert len(list(tmp_path.glob("index.sqlite3.corrupt-*"))) == 1


def test_the_finder_reports_a_corrupt_index_and_still_finds_the_run(tmp_path: Path) -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    key = run_key_hash("hpo:bert:trial_1")
    run = fake.create_run(exp, "r", {"code.run_key_hash": key})
    path = tmp_path / "index.sqlite3"
    path.write_text("[]", encoding="utf-8")
    finder = RunFinder(fake, SqliteRunIndex(path), TagKeyRegistry.defaults())
    report = finder.find(FindRequest(exp, run_key_hash=key))
    assert report.run_id == run.run_id and report.strategy_used == "tag_run_key_hash"
    assert "corrupt" in report.strategies_attempted[0].outcome
    assert finder.find(FindRequest(exp, run_key_hash=key)).strategy_used == "local_index"


def test_a_full_index_stays_at_its_bound_and_keeps_the_newest(tmp_path: Path) -> None:
    index = SqliteRunIndex(tmp_path / "index.sqlite3", max_entries=5)
    for i in range(20):
        index.record(URI, f"key-{i:02d}", RunRef(f"{i:032x}", "1"))
    assert len(index) == 5
    assert sorted(e.run_key_hash for e in index.entries()) == [f"key-{i}" for i in range(15, 20)]


def test_recording_a_key_again_replaces_its_entry(tmp_path: Path) -> None:
    index = SqliteRunIndex(tmp_path / "index.sqlite3")
    index.record(URI, KEY, RunRef("a" * 32, "1"))
    index.record(URI, KEY, RunRef("b" * 32, "2"))
    found = index.lookup(URI, KEY)
    assert len(index) == 1 and found is not None and found.run_id == "b" * 32
