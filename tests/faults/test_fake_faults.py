"""The fake's injected faults: refused before the write, or applied and then timed out."""

from __future__ import annotations

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.domain.errors import (
    TrackingRateLimitedError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)
from trackwright.domain.finding.query import RunQuery


def _runs(fake: InMemoryTracking, experiment_id: str) -> int:
    return len(fake.search_runs(RunQuery(experiment_ids=(experiment_id,), lifecycle="all")).runs)


def test_failing_calls_are_refused_before_anything_is_written(fake: InMemoryTracking) -> None:
    experiment_id = fake.create_experiment("e")
    fake.faults.fail_next(2)
    for _ in range(2):
        with pytest.raises(TrackingUnavailableError) as info:
            fake.create_run(experiment_id, "r", {})
        assert info.value.operation == "create_run"
    assert _runs(fake, experiment_id) == 0
    fake.create_run(experiment_id, "r", {})
    assert _runs(fake, experiment_id) == 1


def test_rate_limiting_hits_only_the_named_operations(fake: InMemoryTracking) -> None:
    experiment_id = fake.create_experiment("e")
    run = fake.create_run(experiment_id, "r", {})
    fake.faults.rate_limit_next(1, operations={"log_batch"})
    assert fake.get_run(run.run_id).run_id == run.run_id
    with pytest.raises(TrackingRateLimitedError):
        fake.log_batch(run.run_id, tags={"t": "1"})
    assert "t" not in fake.get_run(run.run_id).tags
    fake.log_batch(run.run_id, tags={"t": "1"})
    assert fake.get_run(run.run_id).tags["t"] == "1"


def test_timeout_after_commit_applies_the_write_and_loses_the_answer(
    fake: InMemoryTracking,
) -> None:
    experiment_id = fake.create_experiment("e")
    fake.faults.time_out_after_commit(1, operations={"create_run"})
    with pytest.raises(TrackingTimeoutError, match="applied") as info:
        fake.create_run(experiment_id, "r", {"k": "v"})
    assert info.value.operation == "create_run"
    (stored,) = fake.search_runs(RunQuery(experiment_ids=(experiment_id,))).runs
    assert stored.tags["k"] == "v"


def test_timeout_before_commit_writes_nothing(fake: InMemoryTracking) -> None:
    fake.faults.time_out_before_commit(1)
    with pytest.raises(TrackingTimeoutError):
        fake.create_experiment("e")
    assert fake.get_experiment_by_name("e") is None


def test_faults_fire_in_the_order_they_were_planned(fake: InMemoryTracking) -> None:
    fake.faults.fail_next(1)
    fake.faults.rate_limit_next(1)
    fake.faults.time_out_after_commit(1)
    errors = []
    for name in ("a", "b", "c"):
        with pytest.raises(TrackingUnavailableError) as info:
            fake.create_experiment(name)
        errors.append(type(info.value))
    assert errors == [TrackingUnavailableError, TrackingRateLimitedError, TrackingTimeoutError]
    assert [fake.get_experiment_by_name(n) is not None for n in "abc"] == [False, False, True]
    assert fake.faults.remaining == 0
    assert fake.faults.injected["timeout_after_commit"] == 1


def test_a_call_that_fails_by_itself_uses_up_its_timeout_without_raising_it(
    fake: InMemoryTracking,
) -> None:
    fake.faults.time_out_after_commit(1)
    with pytest.raises(Exception) as info:
        fake.get_run("0" * 32)
    assert not isinstance(info.value, TrackingTimeoutError)
    fake.create_experiment("e")
    assert fake.faults.remaining == 0


def test_clear_drops_planned_faults_and_bad_counts_are_refused(fake: InMemoryTracking) -> None:
    fake.faults.fail_next(3)
    fake.faults.clear()
    fake.create_experiment("e")
    with pytest.raises(ValueError):
        fake.faults.fail_next(0)
