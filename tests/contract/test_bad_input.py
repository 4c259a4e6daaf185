"""Bad input gets a typed error before anything is written, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from trackwright.application import Container
from trackwright.domain.errors import (
    DomainError,
    ExperimentDeletedError,
    InvalidExperimentNameError,
    InvalidRunNameError,
    ParentExperimentMismatchError,
    ParentRunNotFoundError,
    TagPolicyViolationError,
)
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run

pytestmark = pytest.mark.contract


@pytest.fixture
def parent(container: Container, unique_name: str) -> Run:
    return container.runs().create_standalone(unique_name, "sweep")


def _all_runs(container: Container, experiment_id: str) -> list[str]:
    query = RunQuery(experiment_ids=(experiment_id,), lifecycle="all")
    return [r.run_id for r in container.backend().search_runs(query).runs]


def _creators(container: Container, parent: Run, experiment: str) -> dict[str, Callable[..., Any]]:
    runs = container.runs()
    return {
        "child": lambda name, tags: runs.create_child(parent.ref, name, tags=tags),
        "standalone": lambda name, tags: runs.create_standalone(experiment, name, tags=tags),
    }


@pytest.mark.parametrize("kind", ["child", "standalone"])
@pytest.mark.parametrize("name", [None, "", "   ", "\t\n", "x" * 257])
def test_bad_run_names_are_refused_and_nothing_is_created(
    container: Container, parent: Run, unique_name: str, kind: str, name: object
) -> None:
    with pytest.raises(InvalidRunNameError):
        _creators(container, parent, unique_name)[kind](name, None)
    assert _all_runs(container, parent.experiment_id) == [parent.run_id]


BAD_TAGS = {
    "key-characters": ({"bad!key": "v"}, "characters MLflow rejects"),
    "key-too-long": ({"k" * 251: "v"}, "251 characters long"),
    "value-too-long": ({"k": "v" * 8001}, "8001 characters long"),
    "none-value": ({"k": None}, "NoneType value"),
    "list-value": ({"k": [1, 2]}, "list value"),
    "reserved-parent": ({"mlflow.parentRunId": "f" * 32}, "reserved"),
    "reserved-name": ({"mlflow.runName": "other"}, "reserved"),
}


@pytest.mark.parametrize("kind", ["child", "standalone"])
@pytest.mark.parametrize("case", list(BAD_TAGS), ids=list(BAD_TAGS))
def test_bad_tags_are_refused_with_every_violation_and_nothing_is_created(
    container: Container, parent: Run, unique_name: str, kind: str, case: str
) -> None:
    tags, fragment = BAD_TAGS[case]
    with pytest.raises(TagPolicyViolationError) as info:
        _creators(container, parent, unique_name)[kind]("run", {**tags, "also bad?": "x"})
    assert len(info.value.violations) == 2
    assert fragment in str(info.value)
    assert _all_runs(container, parent.experiment_id) == [parent.run_id]


def test_numbers_and_booleans_become_tag_strings(container: Container, parent: Run) -> None:
    child = container.runs().create_child(parent.ref, "t", tags={"n": 3, "f": 0.5, "b": True})
    assert (child.tags["n"], child.tags["f"], child.tags["b"]) == ("3", "0.5", "true")


def test_unknown_parent_is_refused(container: Container, parent: Run) -> None:
    with pytest.raises(ParentRunNotFoundError):
        container.runs().create_child("a" * 32, "t")
    assert _all_runs(container, parent.experiment_id) == [parent.run_id]


def test_deleted_experiment_name_is_refused(container: Container, unique_name: str) -> None:
    tracking = container.backend()
    experiment_id = tracking.create_experiment(unique_name + "-gone")
    tracking.delete_experiment(experiment_id)
    with pytest.raises(ExperimentDeletedError):
        container.experiments().get_or_create(unique_name + "-gone")
    with pytest.raises(ExperimentDeletedError):
        container.runs().create_standalone(unique_name + "-gone", "r")
    assert _all_runs(container, experiment_id) == []


@pytest.mark.parametrize("name", [None, "", "  ", "n" * 501])
def test_bad_experiment_names_are_refused_before_any_call(
    container: Container, name: object
) -> None:
    with pytest.raises(InvalidExperimentNameError):
        container.runs().create_standalone(name, "r")  # type: ignore[arg-type]


def test_child_whose_parent_is_in_another_experiment_is_refused(
    container: Container, parent: Run, unique_name: str
) -> None:
    other = container.experiments().get_or_create(unique_name + "-b")
    with pytest.raises(ParentExperimentMismatchError):
        container.runs().create_child(parent.ref, "t", experiment_name=unique_name + "-b")
    assert _all_runs(container, parent.experiment_id) == [parent.run_id]
    assert _all_runs(container, other) == []


def test_every_refusal_is_a_domain_error() -> None:
    for error in (
        InvalidRunNameError,
        TagPolicyViolationError,
        ParentRunNotFoundError,
        ExperimentDeletedError,
        ParentExperimentMismatchError,
        InvalidExperimentNameError,
    ):
        assert issubclass(error, DomainError)
