"""The composition root: a ``dependency_injector`` container wiring ports to services.

The MLflow adapter is imported only when the selector picks it, so a container on the
in-memory backend never imports mlflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from adapters.memory import InMemoryArtifacts, InMemoryTracking
from adapters.yaml_config import load_tag_registry
from application.run_creation import RunCreation
from application.settings import TrackwrightSettings
from domain.experiment_resolution import ExperimentDirectory, default_chain
from domain.ports import ArtifactPort, TrackingPort
from domain.tag_policy import TagPolicy

if TYPE_CHECKING:
    from adapters.mlflow_store import MlflowTracking


def mlflow_tracking(tracking_uri: str | None) -> MlflowTracking:
    """The MLflow adapter, imported on first use."""
    from adapters.mlflow_store import MlflowTracking

    return MlflowTracking(tracking_uri)


def artifact_store(tracking: TrackingPort) -> ArtifactPort:
    """The artifact store that goes with ``tracking`` (the fake's, or MLflow's client)."""
    if isinstance(tracking, InMemoryTracking):
        return InMemoryArtifacts(tracking)
    from adapters.mlflow_store import MlflowArtifacts, MlflowTracking

    if isinstance(tracking, MlflowTracking):
        return MlflowArtifacts(tracking)
    raise TypeError(
        f"no artifact store is known for {type(tracking).__name__}; "
        "override the container's `artifacts` provider"
    )


def _policy(registry_file: str | None, tracking: TrackingPort) -> TagPolicy:
    return TagPolicy(load_tag_registry(registry_file), tracking.tracking_uri)


class Container(containers.DeclarativeContainer):
    """Services as singletons over one tracking backend chosen by ``config.backend``."""

    config = providers.Configuration()

    tracking: providers.Provider[TrackingPort] = providers.Selector(
        config.backend,
        mlflow=providers.Singleton(mlflow_tracking, config.tracking_uri),
        memory=providers.Singleton(InMemoryTracking),
    )
    tag_policy = providers.Singleton(_policy, config.tags_file, tracking)
    experiments = providers.Singleton(ExperimentDirectory, tracking)
    resolver = providers.Singleton(default_chain, tracking, experiments)
    runs = providers.Singleton(RunCreation, tracking, tag_policy, experiments)
    artifacts = providers.Singleton(artifact_store, tracking)


def build_container(settings: TrackwrightSettings | None = None) -> Container:
    """A container configured from ``settings`` (default: from the environment)."""
    chosen = settings if settings is not None else TrackwrightSettings.from_env()
    container = Container()
    container.config.from_dict(chosen.model_dump(mode="json"))
    return container
