"""Seed functions find their store at every call, the way the original helpers did."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import trackwright
from trackwright.adapters.mlflow_store import MlflowTracking

pytestmark = pytest.mark.sqlite


@pytest.fixture
def two_stores(migrated_sqlite_template: Path, tmp_path: Path) -> tuple[str, str]:
    uris = []
    for name in ("first.db", "second.db"):
        shutil.copyfile(migrated_sqlite_template, tmp_path / name)
        uris.append(f"sqlite:///{tmp_path / name}")
    return uris[0], uris[1]


@pytest.fixture
def mlflow_uri(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import mlflow

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setenv("TRACKWRIGHT_BACKEND", "mlflow")
    trackwright.use_container(None)
    yield
    mlflow.set_tracking_uri(None)
    trackwright.use_container(None)


def _has(uri: str, experiment: str) -> bool:
    return MlflowTracking(uri).get_experiment_by_name(experiment) is not None


@pytest.mark.usefixtures("mlflow_uri")
def test_seed_functions_follow_mlflow_set_tracking_uri_at_every_call(
    two_stores: tuple[str, str],
) -> None:
    import mlflow

    first, second = two_stores
    mlflow.set_tracking_uri(first)
    trackwright.get_or_create_experiment("before-the-switch")
    mlflow.set_tracking_uri(second)
    trackwright.get_or_create_experiment("after-the-switch")
    assert _has(first, "before-the-switch") and not _has(first, "after-the-switch")
    assert _has(second, "after-the-switch")


@pytest.mark.usefixtures("mlflow_uri")
def test_an_explicit_uri_then_a_bound_container_then_mlflow_decide_the_store(
    two_stores: tuple[str, str],
) -> None:
    import mlflow

    first, second = two_stores
    mlflow.set_tracking_uri(first)
    bound = trackwright.build_container(trackwright.TrackwrightSettings(backend="memory"))
    trackwright.use_container(bound)
    parent = bound.runs().create_standalone("bound", "sweep")
    trackwright.create_child_run_core(parent.run_id, "trial", experiment_name="bound")
    trackwright.get_or_create_experiment("only-in-the-bound-container")
    run_id, _ = trackwright.create_training_mlflow_run("explicit", "final", tracking_uri=second)
    assert bound.backend().get_experiment_by_name("only-in-the-bound-container") is not None
    assert not _has(first, "only-in-the-bound-container")
    assert MlflowTracking(second).get_run(run_id).name == "final"
