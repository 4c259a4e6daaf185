"""Retries through the container, on the fake's injected faults: nothing lost, nothing doubled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.counting import CountingTracking
from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.retrying import RetryingTracking, RetryPolicy
from trackwright.application import Container, TrackwrightSettings, build_container
from trackwright.domain.errors import (
    TrackingError,
    TrackingNotFoundError,
    TrackingRetriesExhaustedError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Metric, RunStatus

ATTEMPTS = 4


@pytest.fixture
def retried(fake: InMemoryTracking) -> Iterator[Container]:
    settings = TrackwrightSettings(
        backend="memory", retry_attempts=ATTEMPTS, retry_initial_wait=0, retry_max_wait=0
    )
    container = build_container(settings)
    container.backend.override(fake)
    yield container
    container.unwire()


def _names(fake: InMemoryTracking, experiment_id: str) -> list[str]:
    query = RunQuery(experiment_ids=(experiment_id,), lifecycle="all")
    return [r.name for r in fake.search_runs(query).runs]


@pytest.mark.parametrize("fault", ["after_commit", "before_commit"])
@pytest.mark.parametrize("kind", ["child", "standalone"])
def test_run_creation_after_a_lost_answer_makes_exactly_one_run_every_time(
    retried: Container, fake: InMemoryTracking, kind: str, fault: str
) -> None:
    runs = retried.runs()
    parent = runs.create_standalone("exp", "sweep", tags={"code.project": "ner"})
    for i in range(50):
        fake.faults.plan(f"timeout_{fault}", 1, operations={"create_run"})  # type: ignore[arg-type]
        if kind == "child":
            made = runs.create_child(parent.ref, f"trial_{i}", trial_number=i)
        else:
            made = runs.create_standalone("exp", f"trial_{i}", tags={"code.project": "ner"})
        assert fake.get_run(made.run_id) == made
        assert _names(fake, parent.experiment_id).count(f"trial_{i}") == 1
    assert len(_names(fake, parent.experiment_id)) == 51
    assert fake.faults.injected[f"timeout_{fault}"] == 50  # type: ignore[index]


def test_a_run_key_hash_is_the_key_a_repeat_looks_for(
    retried: Container, fake: InMemoryTracking
) -> None:
    runs = retried.runs()
    key = {"code.run_key_hash": "f" * 64}
    fake.faults.time_out_after_commit(1, operations={"create_run"})
    made = runs.create_standalone("exp", "final", tags=key)
    assert _names(fake, made.experiment_id) == ["final"]
    assert dict(made.tags) == dict(fake.get_run(made.run_id).tags)


def test_create_experiment_after_a_lost_answer_reads_the_name(
    retried: Container, fake: InMemoryTracking
) -> None:
    fake.faults.time_out_after_commit(1, operations={"create_experiment"})
    experiment_id = retried.experiments().get_or_create("exp")
    found = fake.get_experiment_by_name("exp")
    assert found is not None and found.experiment_id == experiment_id
    assert fake.calls["create_experiment"] == 1


def test_bursts_shorter_than_the_budget_lose_no_tag_param_or_metric(
    retried: Container, fake: InMemoryTracking
) -> None:
    tracking = retried.tracking()
    run = retried.runs().create_standalone("exp", "r")
    for step in range(10):
        # ATTEMPTS - 1 refusals in a row: 503s, and on odd steps a 429 last.
        fake.faults.fail_next(ATTEMPTS - 1 - step % 2)
        if step % 2:
            fake.faults.rate_limit_next(1)
        tracking.log_batch(
            run.run_id,
            tags={f"t{step}": str(step)},
            params={f"p{step}": str(step)},
            metrics=[Metric("loss", 1.0 / (step + 1), step=step), Metric(f"m{step}", step)],
        )
    fake.faults.rate_limit_next(ATTEMPTS - 1)
    tracking.set_terminated(run.run_id, RunStatus.FINISHED)
    stored = fake.get_run(run.run_id)
    assert {k: v for k, v in stored.tags.items() if k.startswith("t")} == {
        f"t{i}": str(i) for i in range(10)
    }
    assert dict(stored.params) == {f"p{i}": str(i) for i in range(10)}
    assert stored.metrics["loss"] == 0.1 and stored.metrics["m9"] == 9
    assert stored.status is RunStatus.FINISHED


@pytest.mark.parametrize("fault", ["fail_next", "rate_limit_next", "time_out_before_commit"])
def test_beyond_the_budget_the_caller_gets_an_error_naming_the_operation(
    retried: Container, fake: InMemoryTracking, fault: str
) -> None:
    run = retried.runs().create_standalone("exp", "r")
    getattr(fake.faults, fault)(ATTEMPTS)
    with pytest.raises(TrackingRetriesExhaustedError) as info:
        retried.tracking().log_batch(run.run_id, tags={"t": "1"})
    error = info.value
    assert isinstance(error, TrackingError) and error.operation == "log_batch"
    assert error.attempts == ATTEMPTS and "log_batch" in str(error)
    assert isinstance(error.__cause__, TrackingUnavailableError)
    assert fake.calls["log_batch"] == ATTEMPTS


def test_answers_are_not_retried(retried: Container, fake: InMemoryTracking) -> None:
    with pytest.raises(TrackingNotFoundError):
        retried.tracking().get_run("0" * 32)
    assert fake.calls["get_run"] == 1


def test_deleting_an_experiment_is_repeated_only_when_surely_not_applied(
    retried: Container, fake: InMemoryTracking
) -> None:
    tracking = retried.tracking()
    first, second = fake.create_experiment("a"), fake.create_experiment("b")
    fake.faults.fail_next(2)
    tracking.delete_experiment(first)
    fake.faults.time_out_after_commit(1)
    with pytest.raises(TrackingTimeoutError):
        tracking.delete_experiment(second)
    assert fake.calls["delete_experiment"] == 4
    assert [fake.get_experiment_by_name(n).is_active for n in "ab"] == [False, False]  # type: ignore[union-attr]


def test_the_happy_path_costs_one_call_per_operation(fake: InMemoryTracking) -> None:
    counting = CountingTracking(fake)
    tracking = RetryingTracking(counting, RetryPolicy(initial_wait=0))
    experiment_id = tracking.create_experiment("e")
    run = tracking.create_run(experiment_id, "r", {})
    tracking.log_batch(run.run_id, tags={"t": "1"}, metrics=[Metric("m", 1.0)])
    tracking.set_terminated(run.run_id, RunStatus.FINISHED)
    tracking.search_runs(RunQuery(experiment_ids=(experiment_id,)))
    tracking.delete_run(run.run_id)
    assert counting.calls == [
        "create_experiment",
        "create_run",
        "log_batch",
        "set_terminated",
        "search_runs",
        "delete_run",
    ]


def test_waits_grow_exponentially_up_to_the_cap(fake: InMemoryTracking) -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=6, initial_wait=0.1, max_wait=0.5, sleep=slept.append)
    fake.faults.fail_next(5)
    RetryingTracking(fake, policy).get_experiment_by_name("Default")
    floors = [0.1, 0.2, 0.4, 0.5, 0.5]
    assert all(f <= s <= f + 0.1 for f, s in zip(floors, slept, strict=True))


def test_retry_settings_come_from_the_environment() -> None:
    settings = TrackwrightSettings.from_env(
        {"TRACKWRIGHT_RETRY_ATTEMPTS": "2", "TRACKWRIGHT_RETRY_INITIAL_WAIT": "0"}
    )
    assert (settings.retry_attempts, settings.retry_initial_wait) == (2, 0.0)
    assert TrackwrightSettings.from_env({}).retry_attempts == 5
