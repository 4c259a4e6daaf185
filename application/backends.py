"""Backends as plug-ins: the entry-point group ``trackwright.backends`` maps a name to one.

This module is the one place that decides which backend a container uses. The built-in
``mlflow`` and ``memory`` backends register through the same entry-point group (see
``pyproject.toml``) as any third-party package would::

    [project.entry-points."trackwright.backends"]
    sqlite-runs = "my_package.backend:open_tracking"

An entry point names either a ``Backend`` or a plain factory: a callable that takes the
container's ``TrackwrightSettings`` and returns a ``TrackingPort``. ``TrackwrightSettings
(backend="sqlite-runs")`` or ``TRACKWRIGHT_BACKEND=sqlite-runs`` selects it. How to write
and prove one: docs/adding-a-backend.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from trackwright.domain.errors import DomainError
from trackwright.domain.ports import ArtifactPort, TrackingPort

if TYPE_CHECKING:
    from trackwright.application.settings import TrackwrightSettings

GROUP = "trackwright.backends"


class UnknownBackendError(DomainError, ValueError):
    """No installed package registers a backend of that name."""


class NoArtifactStoreError(DomainError, TypeError):
    """The backend in use has no artifact store."""


@dataclass(frozen=True)
class Backend:
    """How a container gets a tracking backend and what comes with it.

    Attributes:
        open: Builds the bare ``TrackingPort`` from the container's settings.
        artifacts: Builds the artifact store for a tracking backend (None: no artifacts).
        in_memory_state: Keep the local run index and run-name counter in memory (the fake's
            choice); otherwise they are sqlite files under ``.trackwright/``.
    """

    open: Callable[[TrackwrightSettings], TrackingPort]
    artifacts: Callable[[TrackingPort], ArtifactPort] | None = None
    in_memory_state: bool = False


def _mlflow_tracking(settings: TrackwrightSettings) -> TrackingPort:
    from trackwright.adapters.mlflow_store import MlflowTracking

    return MlflowTracking(settings.tracking_uri)


def _mlflow_artifacts(tracking: TrackingPort) -> ArtifactPort:
    from trackwright.adapters.mlflow_store import MlflowArtifacts, MlflowTracking

    if not isinstance(tracking, MlflowTracking):
        raise NoArtifactStoreError(
            f"the mlflow backend's artifact store needs MlflowTracking, got "
            f"{type(tracking).__name__}; override the container's `artifacts` provider"
        )
    return MlflowArtifacts(tracking)


def _memory_tracking(settings: TrackwrightSettings) -> TrackingPort:
    from trackwright.adapters.memory import InMemoryTracking

    return InMemoryTracking()


def _memory_artifacts(tracking: TrackingPort) -> ArtifactPort:
    from trackwright.adapters.memory import InMemoryArtifacts, InMemoryTracking

    if not isinstance(tracking, InMemoryTracking):
        raise NoArtifactStoreError(
            f"the memory backend's artifact store needs InMemoryTracking, got "
            f"{type(tracking).__name__}; override the container's `artifacts` provider"
        )
    return InMemoryArtifacts(tracking)


MLFLOW = Backend(open=_mlflow_tracking, artifacts=_mlflow_artifacts)
"""MLflow through ``MlflowClient`` (imported only when a container opens it)."""

MEMORY = Backend(open=_memory_tracking, artifacts=_memory_artifacts, in_memory_state=True)
"""The shipped in-memory fake, ``InMemoryTracking``."""


@cache
def _registered() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def available_backends() -> list[str]:
    """The names of every installed backend, sorted."""
    return sorted(_registered())


def find_backend(name: str) -> Backend:
    """The backend registered as ``name``.

    Raises:
        UnknownBackendError: No installed package registers ``name``; the message lists
            the names that are installed.
    """
    entry = _registered().get(name)
    if entry is None:
        raise UnknownBackendError(
            f"no backend named {name!r} is installed (entry-point group {GROUP!r}); "
            f"installed: {', '.join(available_backends()) or 'none'}"
        )
    loaded = entry.load()
    if isinstance(loaded, Backend):
        return loaded
    if callable(loaded):
        return Backend(open=loaded)
    raise UnknownBackendError(f"entry point {name!r} names neither a Backend nor a factory")
