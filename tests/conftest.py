"""Shared fixtures: backends for the contract suite and a fresh container per test."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.memory.run_index import InMemoryRunIndex
from trackwright.adapters.memory.version_counter import InMemoryVersionCounter
from trackwright.application import Container, TrackwrightSettings, build_container, use_container
from trackwright.domain.ports import TrackingPort

BACKENDS = ["memory", "sqlite"]
pytest_plugins = ["tests.live_server.plugin"]


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow sqlite database migrated once; tests get copies (a fresh one costs seconds)."""
    from mlflow import MlflowClient

    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.db"
    MlflowClient(tracking_uri=f"sqlite:///{path}").search_experiments()
    return path


@pytest.fixture
def sqlite_uri(
    migrated_sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A private copy of the migrated database, as a tracking URI."""
    target = tmp_path / "mlflow.db"
    shutil.copyfile(migrated_sqlite_template, target)
    monkeypatch.chdir(tmp_path)
    return f"sqlite:///{target}"


def _make_backend(name: str, request: pytest.FixtureRequest) -> TrackingPort:
    if name == "memory":
        return InMemoryTracking()
    from trackwright.adapters.mlflow_store import MlflowTracking

    if name == "server":
        return MlflowTracking(request.getfixturevalue("live_server").uri)
    if name == "postgres":
        return MlflowTracking(request.getfixturevalue("postgres_server").uri)
    return MlflowTracking(request.getfixturevalue("sqlite_uri"))


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite", marks=pytest.mark.sqlite),
        pytest.param("server", marks=pytest.mark.server),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def tracking(request: pytest.FixtureRequest) -> TrackingPort:
    """Each backend in turn: the contract suite runs once per backend."""
    return _make_backend(request.param, request)


@pytest.fixture
def container(tracking: TrackingPort) -> Iterator[Container]:
    """A fresh container whose tracking provider is the backend under test."""
    # one process: the sweep's settle window (docs/distributed-sweeps.md) only costs time here
    on_mlflow = not isinstance(tracking, InMemoryTracking)
    backend = "mlflow" if on_mlflow else "memory"
    built = build_container(TrackwrightSettings(backend=backend, sweep_settle_seconds=0.05))
    built.backend.override(tracking)
    if on_mlflow:  # the local index and counter stay in memory, per test
        built.run_index.override(InMemoryRunIndex())
        built.version_counter.override(InMemoryVersionCounter())
    use_container(built)
    yield built
    use_container(None)
    built.unwire()


@pytest.fixture
def fake() -> InMemoryTracking:
    """The in-memory fake on its own."""
    return InMemoryTracking()


@pytest.fixture
def unique_name() -> str:
    """An experiment name no other test uses (backends may be shared)."""
    return f"exp-{uuid.uuid4().hex[:12]}"
