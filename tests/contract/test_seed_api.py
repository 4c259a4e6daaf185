"""The seed-compatible functions keep their names and shapes, on every backend."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest

from trackwright import application
from trackwright.application import Container
from trackwright.domain.errors import (
    ExperimentDeletedError,
    InvalidRunNameError,
    TagPolicyViolationError,
)
from trackwright.domain.model import Run, RunStatus

pytestmark = pytest.mark.contract

SEED_SIGNATURES = {
    "create_child_run_core": [
        "parent_run_id",
        "run_name",
        "experiment_name",
        "trial_number",
        "fold_idx",
        "additional_tags",
        "tracking_uri",
    ],
    "create_child_run": ["parent_run_id", "trial_number", "experiment_name", "additional_tags"],
    "create_run_safe": ["experiment_id", "run_name", "tags", "parent_run_id"],
    "get_or_create_experiment": ["name"],
    "resolve_experiment_id": ["experiment_name", "parent_run_id", "active_run"],
    "create_training_mlflow_run": [
        "experiment_name",
        "run_name",
        "tags",
        "parent_run_id",
        "run_id",
        "root_dir",
        "config_dir",
        "context",
        "tracking_uri",
        "trial_number",
        "fold_idx",
        "create_as_child",
    ],
    "create_training_child_run": [
        "experiment_name",
        "run_name",
        "parent_run_id",
        "tags",
        "trial_number",
        "fold_idx",
        "tracking_uri",
    ],
    "setup_mlflow_tracking_env": [
        "experiment_name",
        "tracking_uri",
        "parent_run_id",
        "run_id",
        "trial_number",
        "additional_vars",
    ],
}


@pytest.mark.parametrize("name", list(SEED_SIGNATURES))
def test_seed_functions_keep_their_argument_order(name: str) -> None:
    params = list(inspect.signature(getattr(application, name)).parameters)
    assert params == SEED_SIGNATURES[name]


@pytest.fixture
def sweep(container: Container, unique_name: str) -> Run:
    return container.runs().create_standalone(unique_name, "sweep")


def test_create_child_run_core_returns_id_and_run(
    container: Container, sweep: Run, unique_name: str
) -> None:
    run_id, run = application.create_child_run_core(
        sweep.run_id, "fold", unique_name, trial_number=2, fold_idx=0, additional_tags={"x": "1"}
    )
    assert run_id == run.run_id
    assert (run.tags["mlflow.parentRunId"], run.tags["trial_number"], run.tags["fold_idx"]) == (
        sweep.run_id,
        "2",
        "0",
    )


def test_create_child_run_yields_the_run_named_after_the_trial(
    container: Container, sweep: Run
) -> None:
    with application.create_child_run(sweep.run_id, 4) as run:
        assert isinstance(run, Run) and run.name == "trial_4"
    assert container.backend().get_run(run.run_id).status is RunStatus.FINISHED


def test_create_child_run_marks_failure_and_keeps_the_error(
    container: Container, sweep: Run
) -> None:
    with (
        pytest.raises(RuntimeError, match="boom"),
        application.create_child_run(sweep.run_id, 1) as run,
    ):
        raise RuntimeError("boom")
    assert container.backend().get_run(run.run_id).status is RunStatus.FAILED


def test_create_run_safe_links_the_parent_argument(container: Container, sweep: Run) -> None:
    run_id = application.create_run_safe(
        sweep.experiment_id, "r", {"mlflow.parentRunId": "ignored"}, sweep.run_id
    )
    assert run_id is not None
    assert container.backend().get_run(run_id).parent_run_id == sweep.run_id


def test_create_run_safe_returns_none_when_the_backend_refuses(container: Container) -> None:
    assert application.create_run_safe("987654", "r") is None


def test_create_run_safe_raises_on_bad_input(container: Container, sweep: Run) -> None:
    with pytest.raises(InvalidRunNameError):
        application.create_run_safe(sweep.experiment_id, " ")


def test_get_or_create_experiment_creates_once(container: Container, unique_name: str) -> None:
    first = application.get_or_create_experiment(unique_name)
    assert application.get_or_create_experiment(unique_name) == first


def test_get_or_create_experiment_refuses_a_deleted_name(
    container: Container, unique_name: str
) -> None:
    experiment_id = application.get_or_create_experiment(unique_name)
    container.backend().delete_experiment(experiment_id)
    container.experiments().forget(unique_name)
    with pytest.raises(ExperimentDeletedError):
        application.get_or_create_experiment(unique_name)


def test_resolve_experiment_id_order_parent_name_active(
    container: Container, sweep: Run, unique_name: str
) -> None:
    other = application.get_or_create_experiment(unique_name + "-other")
    active = SimpleNamespace(info=SimpleNamespace(experiment_id="42"))
    assert (
        application.resolve_experiment_id(unique_name + "-other", sweep.run_id)
        == sweep.experiment_id
    )
    assert application.resolve_experiment_id(unique_name + "-other", None, active) == other
    assert application.resolve_experiment_id(unique_name + "-missing", None, active) == "42"
    assert application.resolve_experiment_id(unique_name + "-missing") is None
    assert container.backend().get_experiment_by_name(unique_name + "-missing") is None


def test_create_training_mlflow_run_standalone_and_refit_style(
    container: Container, sweep: Run, unique_name: str
) -> None:
    run_id, final = application.create_training_mlflow_run(
        unique_name + "-final", "final_training", {"code.stage": "final_training"}
    )
    assert final.parent_run_id is None and final.tags["code.stage"] == "final_training"
    _, refit = application.create_training_mlflow_run(
        unique_name, "refit", {"mlflow.parentRunId": sweep.run_id}
    )
    assert refit.parent_run_id == sweep.run_id and refit.experiment_id == sweep.experiment_id
    again_id, again = application.create_training_mlflow_run(unique_name, "ignored", run_id=run_id)
    assert (again_id, again.name) == (run_id, "final_training")


def test_create_training_mlflow_run_as_child_writes_trial_and_fold(
    container: Container, sweep: Run, unique_name: str
) -> None:
    _, run = application.create_training_mlflow_run(
        unique_name,
        "fold",
        parent_run_id=sweep.run_id,
        trial_number=1,
        fold_idx=2,
        create_as_child=True,
    )
    assert (run.tags["trial_number"], run.tags["fold_idx"]) == ("1", "2")


def test_create_training_mlflow_run_validates_before_any_call(
    container: Container, unique_name: str
) -> None:
    with pytest.raises(TagPolicyViolationError):
        application.create_training_mlflow_run(unique_name, "r", {"bad!": "x"})
    assert container.backend().get_experiment_by_name(unique_name) is None


def test_create_training_child_run_writes_the_child_tags(
    container: Container, sweep: Run, unique_name: str
) -> None:
    run_id, run = application.create_training_child_run(
        unique_name, "t", sweep.run_id, {"a": "b"}, trial_number=7
    )
    assert (
        run.tags["trial_number"] == "7"
        and run.parent_run_id == sweep.run_id
        and run_id == run.run_id
    )


def test_setup_mlflow_tracking_env_sets_only_what_was_given() -> None:
    env = application.setup_mlflow_tracking_env(
        "exp",
        "http://127.0.0.1:5000",
        parent_run_id="p",
        trial_number=3,
        additional_vars={"X": "1"},
    )
    assert env == {
        "MLFLOW_EXPERIMENT_NAME": "exp",
        "MLFLOW_TRACKING_URI": "http://127.0.0.1:5000",
        "MLFLOW_PARENT_RUN_ID": "p",
        "MLFLOW_TRIAL_NUMBER": "3",
        "X": "1",
    }
