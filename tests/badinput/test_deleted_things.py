"""Deleted runs and experiments are never trusted: parents, remembered ids, lineage, resume."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tests.badinput.conftest import every_run
from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import Container
from trackwright.application.seed.runs import create_child_run_core
from trackwright.application.use_cases.pipeline import PipelineConfig, SimulatedPipeline
from trackwright.domain.errors import (
    ExperimentDeletedError,
    InvalidExperimentNameError,
    InvalidRunNameError,
    ParentRunNotFoundError,
)
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import RunRef
from trackwright.domain.parent_runs import KnownParents


def test_a_child_is_never_created_under_a_deleted_parent(store: Container) -> None:
    parent = store.runs().create_standalone("exp", "sweep")
    store.tracking().delete_run(parent.run_id)
    store.runs().forget_parent(parent.run_id)
    before = every_run(store)
    with pytest.raises(ParentRunNotFoundError, match="is deleted"):
        store.runs().create_child(parent.run_id, "trial")
    with pytest.raises(ParentRunNotFoundError, match="is deleted"):
        create_child_run_core(parent.run_id, "trial")
    assert every_run(store) == before


def test_a_parent_deleted_by_another_client_is_refused_once_its_window_ends() -> None:
    fake, now = InMemoryTracking(), [0.0]
    parents = KnownParents(fake, ttl=10.0, clock=lambda: now[0])
    parent = fake.create_run(fake.create_experiment("e"), "sweep", {})
    assert parents.ref(parent.run_id) == parent.ref
    fake.delete_run(parent.run_id)  # another client, inside the window: not seen yet
    assert parents.ref(parent.run_id) == parent.ref
    now[0] = 10.5
    with pytest.raises(ParentRunNotFoundError):
        parents.ref(parent.run_id)


def test_children_under_a_string_parent_cost_no_get_run_after_the_first() -> None:
    fake = InMemoryTracking()
    parents = KnownParents(fake)
    parent = fake.create_run(fake.create_experiment("e"), "sweep", {})
    fake.reset_calls()
    for _ in range(5):
        assert parents.ref(parent.run_id) == parent.ref
    assert fake.calls["get_run"] == 1
    assert parents.ref(RunRef("f" * 32, "9")).experiment_id == "9"  # a RunRef costs nothing
    assert fake.calls["get_run"] == 1


def test_a_remembered_experiment_deleted_later_raises_experiment_deleted(
    store: Container,
) -> None:
    first = store.runs().create_standalone("gone", "first")
    store.tracking().delete_experiment(first.experiment_id)  # e.g. in the UI, much later
    before = every_run(store)
    with pytest.raises(ExperimentDeletedError, match="gone"):
        store.runs().create_standalone("gone", "second")
    with pytest.raises(ExperimentDeletedError):
        store.runs().create_in_experiment(first.experiment_id, "third")
    assert every_run(store) == before


@pytest.mark.parametrize("name", ["evil\x1b[2J", "bell\x07", "nul\x00", "two\nlines", "rtl\u202e"])
def test_control_characters_in_names_are_refused_at_creation(store: Container, name: str) -> None:
    parent = store.runs().create_standalone("exp", "sweep")
    before = every_run(store)
    with pytest.raises(InvalidRunNameError, match="control characters"):
        store.runs().create_child(parent.ref, name)
    with pytest.raises(InvalidExperimentNameError, match="control characters"):
        store.runs().create_standalone(name, "run")
    assert every_run(store) == before


def _pipeline(container: Container) -> Any:
    pipeline = SimulatedPipeline(container.stage_runs(), container.experiments())
    return pipeline.run(PipelineConfig(("bert",), 1, 1, "resume"))


def test_a_resumed_conversion_never_links_to_a_deleted_final_training_run(
    store: Container,
) -> None:
    first = _pipeline(store)
    conversion = store.tracking().get_run(first.conversions["bert"])
    old_final = conversion.tags["code.lineage.parent_training_run_id"]
    store.tracking().delete_run(old_final)
    again = _pipeline(store)
    converted = store.tracking().get_run(again.conversions["bert"])
    new_final = converted.tags["code.lineage.parent_training_run_id"]
    assert new_final != old_final
    assert store.tracking().get_run(new_final).lifecycle_stage.value == "active"
    assert converted.run_id != conversion.run_id


@pytest.mark.sqlite
def test_lineage_marks_deleted_runs_in_human_and_json_output(
    sqlite_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking
    from trackwright.application.cli import main

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)

    def cli(*args: str) -> Any:
        return CliRunner().invoke(main, ["--tracking-uri", sqlite_uri, *args])

    demo = cli("--json", "demo", "--backbones", "bert", "--trials", "1", "--folds", "1")
    conversion = json.loads(demo.stdout)["conversions"]["bert"]
    tracking = MlflowTracking(sqlite_uri)
    final = tracking.get_run(conversion).tags["code.lineage.parent_training_run_id"]
    tracking.delete_run(final)
    steps = json.loads(cli("--json", "lineage", conversion).stdout)
    assert [(s["kind"], s["deleted"]) for s in steps][:2] == [
        ("conversion", False),
        ("final_training", True),
    ]
    human = cli("lineage", conversion).stdout.splitlines()
    assert "[deleted]" in human[1] and "[deleted]" not in human[0]
    runs = tracking.search_runs(RunQuery(experiment_ids=(steps[1]["experiment_id"],))).runs
    assert final not in {r.run_id for r in runs}
