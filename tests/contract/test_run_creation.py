"""Run creation use cases on every backend: tags, one-call children, scoped runs, races."""

from __future__ import annotations

import threading

import pytest

from tests.counting import CountingTracking
from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import Container
from trackwright.domain.errors import (
    ExperimentDeletedError,
    ParentExperimentMismatchError,
    ParentRunNotFoundError,
)
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import RunStatus
from trackwright.domain.ports import TrackingPort

pytestmark = pytest.mark.contract


def test_child_run_carries_the_policy_tags(container: Container, unique_name: str) -> None:
    runs = container.runs()
    parent = runs.create_standalone(unique_name, "sweep")
    child = runs.create_child(
        parent.ref, "trial_3_fold1", trial_number=3, fold_idx=1, tags={"code.project": "ner"}
    )
    stored = container.backend().get_run(child.run_id)
    assert stored.experiment_id == parent.experiment_id
    assert stored.status is RunStatus.RUNNING
    assert dict(stored.tags) == {
        "mlflow.parentRunId": parent.run_id,
        "trial_number": "3",
        "fold_idx": "1",
        "mlflow.runName": "trial_3_fold1",
        "code.project": "ner",
    }


def _counted(tracking: TrackingPort) -> tuple[Container, CountingTracking]:
    """A fresh container (nothing remembered) whose backend calls are counted."""
    counting = CountingTracking(tracking)
    fresh = Container()
    fresh.config.from_dict({"backend": "memory"})
    fresh.backend.override(counting)
    return fresh, counting


def test_child_under_a_known_parent_is_exactly_one_tracking_call(
    tracking: TrackingPort, container: Container, unique_name: str
) -> None:
    parent = container.runs().create_standalone(unique_name, "sweep")
    fresh, counting = _counted(tracking)
    fresh.runs().create_child(parent.ref, "trial_0", trial_number=0)
    assert counting.calls == ["create_run"]


def test_child_under_a_bare_parent_id_reads_the_parent_once(
    tracking: TrackingPort, container: Container, unique_name: str
) -> None:
    parent = container.runs().create_standalone(unique_name, "sweep")
    fresh, counting = _counted(tracking)
    child = fresh.runs().create_child(parent.run_id, "trial_0")
    assert counting.calls == ["get_run", "create_run"]
    assert child.experiment_id == parent.experiment_id


def test_child_in_the_parents_named_experiment_is_created(
    container: Container, unique_name: str
) -> None:
    runs = container.runs()
    parent = runs.create_standalone(unique_name, "sweep")
    child = runs.create_child(parent.ref, "t", experiment_name=unique_name)
    assert child.parent_run_id == parent.run_id


def test_child_asked_for_in_another_experiment_is_refused(
    container: Container, unique_name: str
) -> None:
    runs = container.runs()
    parent = runs.create_standalone(unique_name, "sweep")
    other = runs.create_standalone(unique_name + "-other", "x")
    with pytest.raises(ParentExperimentMismatchError):
        runs.create_child(parent.ref, "t", experiment_name=unique_name + "-other")
    assert _run_ids(container, parent.experiment_id, other.experiment_id) == {
        parent.run_id,
        other.run_id,
    }


def test_child_of_an_unknown_parent_is_refused(container: Container, unique_name: str) -> None:
    with pytest.raises(ParentRunNotFoundError):
        container.runs().create_child("0" * 32, "t")
    with pytest.raises(ParentRunNotFoundError):
        container.runs().create_child("not a run id!", "t")


def test_standalone_run_creates_its_experiment(container: Container, unique_name: str) -> None:
    run = container.runs().create_standalone(
        unique_name, "final", tags={"code.stage": "final_training"}
    )
    experiment = container.backend().get_experiment_by_name(unique_name)
    assert experiment is not None and run.experiment_id == experiment.experiment_id
    assert run.tags["code.stage"] == "final_training" and run.parent_run_id is None


def test_standalone_run_in_a_deleted_experiment_is_refused(
    container: Container, unique_name: str
) -> None:
    experiment_id = container.backend().create_experiment(unique_name)
    container.backend().delete_experiment(experiment_id)
    with pytest.raises(ExperimentDeletedError):
        container.runs().create_standalone(unique_name, "r")
    assert _run_ids(container, experiment_id, lifecycle="all") == set()


def test_scoped_run_yields_the_run_and_finishes_it(container: Container, unique_name: str) -> None:
    runs = container.runs()
    with runs.scoped(runs.create_standalone(unique_name, "r")) as run:
        assert run.status is RunStatus.RUNNING
    assert container.backend().get_run(run.run_id).status is RunStatus.FINISHED


def test_scoped_run_fails_and_reraises_the_same_exception(
    container: Container, unique_name: str
) -> None:
    runs = container.runs()
    error = ValueError("training diverged")
    with (
        pytest.raises(ValueError) as info,
        runs.scoped(runs.create_standalone(unique_name, "r")) as run,
    ):
        raise error
    assert info.value is error
    assert container.backend().get_run(run.run_id).status is RunStatus.FAILED


def test_scoped_run_is_killed_on_keyboard_interrupt(container: Container, unique_name: str) -> None:
    runs = container.runs()
    with (
        pytest.raises(KeyboardInterrupt),
        runs.scoped(runs.create_standalone(unique_name, "r")) as run,
    ):
        raise KeyboardInterrupt
    assert container.backend().get_run(run.run_id).status is RunStatus.KILLED


def test_concurrent_get_or_create_ends_with_one_experiment(
    container: Container, unique_name: str
) -> None:
    barrier = threading.Barrier(6)
    results: list[str] = []
    errors: list[BaseException] = []

    def create() -> None:
        directory = Container()
        directory.config.from_dict({"backend": "memory"})
        directory.backend.override(container.backend())
        barrier.wait()
        try:
            results.append(directory.experiments().get_or_create(unique_name))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1 and len(results) == 6
    found = container.backend().get_experiment_by_name(unique_name)
    assert found is not None and found.experiment_id == results[0]


def test_the_fake_counts_calls(fake: InMemoryTracking) -> None:
    experiment_id = fake.create_experiment("e")
    fake.create_run(experiment_id, "r", {})
    assert fake.calls == {"create_experiment": 1, "create_run": 1}
    fake.reset_calls()
    assert fake.call_count == 0


def _run_ids(container: Container, *experiment_ids: str, lifecycle: str = "active") -> set[str]:
    query = RunQuery(experiment_ids=experiment_ids, lifecycle=lifecycle)  # type: ignore[arg-type]
    return {r.run_id for r in container.backend().search_runs(query).runs}
