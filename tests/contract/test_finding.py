"""Finding runs through the seed functions, on every backend."""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from trackwright import application
from trackwright.application import Container
from trackwright.domain.errors import ExperimentNotFoundError, RunNotFoundError
from trackwright.domain.identity import run_key_hash
from trackwright.domain.model import Run, RunKind, RunStatus
from trackwright.domain.stage_context import StageContext

pytestmark = pytest.mark.contract

TRIAL_KEY = run_key_hash("hpo:bert:trial_1")


@dataclass(frozen=True)
class NamingContext:
    """The original's context shape: a process type instead of a kind of run."""

    process_type: str
    model: str = "bert"
    environment: str = "local"
    trial_id: str | None = None
    study_key_hash: str | None = None
    fold_idx: int | None = None
    spec_fp: str | None = None
    exec_fp: str | None = None
    variant: int = 1
    parent_training_id: str | None = None
    conv_fp: str | None = None


@pytest.fixture
def experiment_id(container: Container, unique_name: str) -> str:
    return container.experiments().get_or_create(unique_name)


def _run(container: Container, experiment_id: str, name: str, **tags: str) -> Run:
    return container.backend().create_run(experiment_id, name, tags)


def test_find_mlflow_run_keeps_its_argument_order() -> None:
    params = list(inspect.signature(application.find_mlflow_run).parameters)
    assert params[:8] == [
        "experiment_name",
        "context",
        "run_id",
        "output_dir",
        "run_key_hash",
        "strict",
        "root_dir",
        "config_dir",
    ]


def test_an_explicit_run_id_is_found(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    run = _run(container, experiment_id, "r")
    report = application.find_mlflow_run(unique_name, run_id=run.run_id)
    assert report.found and report.strategy_used == "direct_run_id"


def test_a_context_finds_its_run_by_key_then_by_the_index(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    run = _run(container, experiment_id, "trial", **{"code.run_key_hash": TRIAL_KEY})
    context = NamingContext("hpo", trial_id="trial_1")
    first = application.find_mlflow_run(unique_name, context)
    again = application.find_mlflow_run(unique_name, context)
    assert (first.run_id, first.strategy_used) == (run.run_id, "tag_run_key_hash")
    assert (again.run_id, again.strategy_used) == (run.run_id, "local_index")


def test_a_stage_context_finds_its_run_by_key(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    run = _run(
        container,
        experiment_id,
        "refit",
        **{"code.run_key_hash": run_key_hash("hpo_refit:bert:t9")},
    )
    ctx = StageContext(kind=RunKind.REFIT, model="bert", trial_id="t9")
    assert application.find_mlflow_run(unique_name, ctx).run_id == run.run_id


def test_an_incomplete_context_skips_the_key_strategies(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    _run(container, experiment_id, "r")
    report = application.find_mlflow_run(unique_name, NamingContext("benchmarking"))
    assert not report.found and report.strategies_attempted == ()


def test_the_output_folders_metadata_names_the_run(
    container: Container, experiment_id: str, unique_name: str, tmp_path: Path
) -> None:
    run = _run(container, experiment_id, "r")
    (tmp_path / "metadata.json").write_text(json.dumps({"mlflow": {"run_id": run.run_id}}))
    report = application.find_mlflow_run(unique_name, output_dir=tmp_path)
    assert report.run_id == run.run_id and report.strategy_used == "metadata_json"


def test_strict_mode_raises_and_lists_what_was_tried(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    with pytest.raises(RunNotFoundError, match="tag_run_key_hash") as caught:
        application.find_mlflow_run(unique_name, run_key_hash=TRIAL_KEY, strict=True)
    assert isinstance(caught.value, ValueError)


def test_an_unknown_experiment_raises(container: Container, unique_name: str) -> None:
    with pytest.raises(ExperimentNotFoundError):
        application.find_mlflow_run(unique_name + "-missing", run_id="a" * 32)


def test_the_most_recent_run_is_never_returned_unasked(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    _run(container, experiment_id, "unrelated")
    report = application.find_mlflow_run(unique_name, run_key_hash=TRIAL_KEY)
    assert not report.found and "most_recent" not in report.attempted_names
    asked = application.find_mlflow_run(unique_name, run_key_hash=TRIAL_KEY, fuzzy=["most_recent"])
    assert asked.found and asked.strategy_used == "most_recent"


def test_tag_context_matches_the_process_type_that_runs_carry(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    run = _run(container, experiment_id, "t", **{"code.stage": "hpo_refit", "code.model": "bert"})
    _run(container, experiment_id, "other", **{"code.stage": "hpo", "code.model": "bert"})
    context = NamingContext("hpo_refit", environment="")
    report = application.find_mlflow_run(unique_name, context, fuzzy=["tag_context"])
    assert report.run_id == run.run_id and report.strategy_used == "tag_context"


TRICKY_NAMES = ["it's", 'say "hi"', "both ' and \"", "back\\slash", "two  spaces", "ünï ✓"]


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_a_run_name_with_quotes_or_unicode_is_found_exactly(
    container: Container, experiment_id: str, unique_name: str, name: str
) -> None:
    run = _run(container, experiment_id, name)
    for decoy in {name + "x", name.strip("'\""), name.replace("'", '"'), name.upper()} - {name}:
        _run(container, experiment_id, decoy)
    report = application.find_mlflow_run(unique_name, run_name=name, fuzzy=["run_name"])
    assert report.run_id == run.run_id


def test_a_finished_only_search_skips_other_statuses(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    failed = _run(container, experiment_id, "f", **{"code.run_key_hash": TRIAL_KEY})
    container.backend().set_terminated(failed.run_id, RunStatus.FAILED)
    from trackwright.domain.finding.lookup import FindRequest

    request = FindRequest(
        experiment_id, run_key_hash=TRIAL_KEY, statuses=frozenset({RunStatus.FINISHED})
    )
    assert not container.run_finder().find(request).found
