"""The run finder's priority chain, report and index use, on the fake."""

from __future__ import annotations

import time

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.memory.run_index import InMemoryRunIndex
from trackwright.domain.errors import RunNotFoundError, UnknownFinderStrategyError
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.lookup import FindRequest
from trackwright.domain.identity import run_key_hash
from trackwright.domain.model import RunRef, RunStatus
from trackwright.domain.tags.keys import TagKeyRegistry

KEY = run_key_hash("hpo:bert:trial_1")
KEY_TAG = "code.run_key_hash"


@pytest.fixture
def index() -> InMemoryRunIndex:
    return InMemoryRunIndex()


@pytest.fixture
def finder(fake: InMemoryTracking, index: InMemoryRunIndex) -> RunFinder:
    return RunFinder(fake, index, TagKeyRegistry.defaults())


@pytest.fixture
def exp(fake: InMemoryTracking) -> str:
    return fake.create_experiment("finding")


def test_an_explicit_run_id_in_the_experiment_is_found_directly(
    fake: InMemoryTracking, finder: RunFinder, exp: str
) -> None:
    run = fake.create_run(exp, "r", {})
    report = finder.find(FindRequest(exp, run_id=run.run_id))
    assert (report.found, report.run_id, report.strategy_used) == (
        True,
        run.run_id,
        "direct_run_id",
    )
    assert report.attempted_names == ["direct_run_id"]


def test_a_run_id_from_another_experiment_is_a_miss_with_the_reason(
    fake: InMemoryTracking, finder: RunFinder, exp: str
) -> None:
    other = fake.create_run(fake.create_experiment("other"), "r", {})
    target = fake.create_run(exp, "t", {KEY_TAG: KEY})
    report = finder.find(FindRequest(exp, run_id=other.run_id, run_key_hash=KEY))
    assert report.run_id == target.run_id and report.strategy_used == "tag_run_key_hash"
    first = report.strategies_attempted[0]
    assert first.strategy == "direct_run_id" and "is in experiment" in first.outcome
    assert report.attempted_names == ["direct_run_id", "local_index", "tag_run_key_hash"]


def test_a_tag_hit_is_remembered_so_the_next_find_costs_one_get_run(
    fake: InMemoryTracking, finder: RunFinder, index: InMemoryRunIndex, exp: str
) -> None:
    target = fake.create_run(exp, "t", {KEY_TAG: KEY})
    finder.find(FindRequest(exp, run_key_hash=KEY))
    fake.reset_calls()
    report = finder.find(FindRequest(exp, run_key_hash=KEY))
    assert report.strategy_used == "local_index" and report.run_id == target.run_id
    assert dict(fake.calls) == {"get_run": 1}


def test_a_stale_index_entry_is_dropped_and_the_tag_search_answers(
    fake: InMemoryTracking, finder: RunFinder, index: InMemoryRunIndex, exp: str
) -> None:
    gone = fake.create_run(exp, "gone", {})
    fake.delete_run(gone.run_id)
    index.record(fake.tracking_uri, KEY, gone.ref)
    target = fake.create_run(exp, "t", {KEY_TAG: KEY})
    report = finder.find(FindRequest(exp, run_key_hash=KEY))
    assert report.run_id == target.run_id
    assert "entry dropped" in report.strategies_attempted[0].outcome
    entry = index.lookup(fake.tracking_uri, KEY)
    assert entry is not None and entry.run_id == target.run_id


def test_an_index_entry_for_another_key_is_not_trusted(
    fake: InMemoryTracking, finder: RunFinder, index: InMemoryRunIndex, exp: str
) -> None:
    wrong = fake.create_run(exp, "wrong", {KEY_TAG: run_key_hash("something else")})
    index.record(fake.tracking_uri, KEY, wrong.ref)
    report = finder.find(FindRequest(exp, run_key_hash=KEY))
    assert not report.found and "another run key" in report.strategies_attempted[0].outcome


def test_fuzzy_strategies_run_only_when_enabled_by_name(
    fake: InMemoryTracking, finder: RunFinder, exp: str
) -> None:
    fake.create_run(exp, "unrelated", {})
    plain = finder.find(FindRequest(exp, run_key_hash=KEY, run_name="unrelated"))
    assert not plain.found
    assert plain.attempted_names == ["local_index", "tag_run_key_hash"]
    fuzzy = finder.find(FindRequest(exp, run_key_hash=KEY, fuzzy=("most_recent",)))
    assert fuzzy.found and fuzzy.strategy_used == "most_recent"


def test_run_name_and_context_tags_are_fuzzy_strategies(
    fake: InMemoryTracking, finder: RunFinder, exp: str
) -> None:
    named = fake.create_run(exp, "trial_07", {})
    tagged = fake.create_run(exp, "x", {"code.stage": "hpo", "code.model": "bert"})
    by_name = FindRequest(exp, run_name="trial_07", fuzzy=("run_name",))
    by_tags = FindRequest(exp, context_tags={"code.stage": "hpo"}, fuzzy=("tag_context",))
    assert finder.find(by_name).run_id == named.run_id
    assert finder.find(by_tags).run_id == tagged.run_id


def test_an_unknown_fuzzy_strategy_is_refused() -> None:
    with pytest.raises(UnknownFinderStrategyError, match="closest"):
        FindRequest("1", fuzzy=("closest",))


def test_strict_mode_raises_listing_what_was_tried(finder: RunFinder, exp: str) -> None:
    with pytest.raises(RunNotFoundError) as caught:
        finder.find(FindRequest(exp, run_key_hash=KEY, strict=True, experiment_label="finding"))
    assert [name for name, _ in caught.value.attempts] == ["local_index", "tag_run_key_hash"]
    assert "'finding'" in str(caught.value) and isinstance(caught.value, ValueError)


def test_non_strict_mode_reports_the_miss(finder: RunFinder, exp: str) -> None:
    report = finder.find(FindRequest(exp, run_id="0" * 32))
    assert not report.found and report.error and report.run_id is None
    assert report.strategies_attempted[0].outcome == f"no run has id {'0' * 32}"


def test_nothing_to_go_on_tries_nothing(finder: RunFinder, exp: str) -> None:
    report = finder.find(FindRequest(exp))
    assert not report.found and report.strategies_attempted == ()


def test_allowed_statuses_apply_to_every_strategy(
    fake: InMemoryTracking, finder: RunFinder, exp: str
) -> None:
    failed = fake.create_run(exp, "f", {KEY_TAG: KEY})
    fake.set_terminated(failed.run_id, RunStatus.FAILED)
    finished_only = frozenset({RunStatus.FINISHED})
    by_id = finder.find(FindRequest(exp, run_id=failed.run_id, statuses=finished_only))
    by_key = finder.find(FindRequest(exp, run_key_hash=KEY, statuses=finished_only))
    assert not by_id.found and "is FAILED" in by_id.strategies_attempted[0].outcome
    assert not by_key.found


def test_remember_records_a_run_created_by_key(
    fake: InMemoryTracking, finder: RunFinder, index: InMemoryRunIndex, exp: str
) -> None:
    run = fake.create_run(exp, "r", {KEY_TAG: KEY})
    finder.remember(KEY, RunRef(run.run_id, exp))
    assert finder.find(FindRequest(exp, run_key_hash=KEY)).strategy_used == "local_index"


def test_finding_by_key_among_ten_thousand_runs_takes_at_most_two_calls(
    fake: InMemoryTracking, finder: RunFinder, exp: str
) -> None:
    for i in range(10_000):
        fake.create_run(exp, f"r{i}", {KEY_TAG: run_key_hash(f"hpo:bert:trial_{i}")})
    wanted = run_key_hash("hpo:bert:trial_4321")
    fake.reset_calls()
    started = time.perf_counter()
    cold = finder.find(FindRequest(exp, run_key_hash=wanted))
    cold_calls = fake.call_count
    fake.reset_calls()
    warm = finder.find(FindRequest(exp, run_key_hash=wanted))
    assert cold.found and warm.run_id == cold.run_id
    assert cold_calls <= 2 and fake.call_count <= 2
    assert (cold_calls, fake.call_count) == (1, 1)
    assert time.perf_counter() - started < 2.0
