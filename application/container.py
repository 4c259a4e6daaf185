"""The composition root: a ``dependency_injector`` container wiring ports to services.

The MLflow adapter is imported only when the selector picks it, so a container on the
in-memory backend never imports mlflow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from trackwright.adapters.memory import InMemoryArtifacts, InMemoryTracking
from trackwright.adapters.memory.run_index import InMemoryRunIndex
from trackwright.adapters.memory.version_counter import InMemoryVersionCounter
from trackwright.adapters.retrying import RetryingTracking, RetryPolicy
from trackwright.adapters.run_index import FileRunIndex, default_index_path
from trackwright.adapters.run_index.version_counter import FileVersionCounter, default_counter_path
from trackwright.adapters.yaml_config import load_tag_registry
from trackwright.application.settings import TrackwrightSettings
from trackwright.application.trackers.lease import WorkerLease
from trackwright.application.trackers.stage_runs import StageRuns
from trackwright.application.use_cases.lifecycle import RunLifecycle
from trackwright.application.use_cases.run_creation import RunCreation
from trackwright.domain.distributed.leases import LeaseSettings
from trackwright.domain.experiment_resolution import ExperimentDirectory, default_chain
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.queries import RunQueries
from trackwright.domain.ports import ArtifactPort, RunIndexPort, TrackingPort, VersionCounterPort
from trackwright.domain.tags.policy import TagPolicy

if TYPE_CHECKING:
    from trackwright.adapters.mlflow_store import MlflowTracking


def mlflow_tracking(tracking_uri: str | None) -> MlflowTracking:
    """The MLflow adapter, imported on first use."""
    from trackwright.adapters.mlflow_store import MlflowTracking

    return MlflowTracking(tracking_uri)


def artifact_store(tracking: TrackingPort) -> ArtifactPort:
    """The artifact store that goes with ``tracking`` (the fake's, or MLflow's client)."""
    if isinstance(tracking, InMemoryTracking):
        return InMemoryArtifacts(tracking)
    from trackwright.adapters.mlflow_store import MlflowArtifacts, MlflowTracking

    if isinstance(tracking, MlflowTracking):
        return MlflowArtifacts(tracking)
    raise TypeError(
        f"no artifact store is known for {type(tracking).__name__}; "
        "override the container's `artifacts` provider"
    )


def _policy(registry_file: str | None, tracking: TrackingPort) -> TagPolicy:
    return TagPolicy(load_tag_registry(registry_file, missing_ok=False), tracking.tracking_uri)


def retrying_tracking(
    tracking: TrackingPort,
    policy: TagPolicy,
    attempts: int | None,
    initial_wait: float | None,
    max_wait: float | None,
) -> RetryingTracking:
    """``tracking`` with safe calls retried (unset numbers take ``RetryPolicy``'s defaults)."""
    default = RetryPolicy()
    retry = RetryPolicy(
        attempts=default.attempts if attempts is None else attempts,
        initial_wait=default.initial_wait if initial_wait is None else initial_wait,
        max_wait=default.max_wait if max_wait is None else max_wait,
    )
    run_key_tag = policy.registry.key("grouping", "run_key_hash")
    return RetryingTracking(tracking, retry, run_key_tag=run_key_tag)


def file_run_index(path: str | None) -> FileRunIndex:
    """The file run index at ``path`` (None: ``.trackwright/run_index.sqlite3`` here)."""
    return FileRunIndex(path if path else default_index_path())


def _finder(tracking: TrackingPort, index: RunIndexPort, policy: TagPolicy) -> RunFinder:
    return RunFinder(tracking, index, policy.registry)


def _queries(tracking: TrackingPort, policy: TagPolicy) -> RunQueries:
    return RunQueries(tracking, policy.registry)


def _worker_lease(
    tracking: TrackingPort, policy: TagPolicy, interval: float, grace: float
) -> WorkerLease:
    return WorkerLease(tracking, policy.registry, LeaseSettings(interval, grace))


def _stage_runs(
    tracking: TrackingPort,
    runs: RunCreation,
    finder: RunFinder,
    policy: TagPolicy,
    versions: VersionCounterPort,
    versioned_names: bool,
    lease: WorkerLease,
    settle_seconds: float,
) -> StageRuns:
    counter = versions if versioned_names else None
    stages = StageRuns(tracking, runs, finder, policy.registry, policy.azure_ml, counter, lease)
    stages.sweep_settle_seconds = settle_seconds
    return stages


def file_version_counter(path: str | None) -> FileVersionCounter:
    """The file version counter at ``path`` (None: ``.trackwright/run_name_counter.sqlite3``)."""
    return FileVersionCounter(path if path else default_counter_path())


class Container(containers.DeclarativeContainer):
    """Services as thread-safe singletons over one tracking backend chosen by ``config.backend``."""

    config = providers.Configuration()

    tracking: providers.Provider[TrackingPort] = providers.Selector(
        config.backend,
        mlflow=providers.ThreadSafeSingleton(mlflow_tracking, config.tracking_uri),
        memory=providers.ThreadSafeSingleton(InMemoryTracking),
    )
    tag_policy = providers.ThreadSafeSingleton(_policy, config.tags_file, tracking)
    retried_tracking: providers.Provider[TrackingPort] = providers.ThreadSafeSingleton(
        retrying_tracking,
        tracking,
        tag_policy,
        config.retry_attempts,
        config.retry_initial_wait,
        config.retry_max_wait,
    )
    experiments = providers.ThreadSafeSingleton(ExperimentDirectory, retried_tracking)
    resolver = providers.ThreadSafeSingleton(default_chain, retried_tracking, experiments)
    runs = providers.ThreadSafeSingleton(RunCreation, retried_tracking, tag_policy, experiments)
    artifacts = providers.ThreadSafeSingleton(artifact_store, tracking)
    lifecycle = providers.ThreadSafeSingleton(RunLifecycle, retried_tracking)
    run_index: providers.Provider[RunIndexPort] = providers.Selector(
        config.backend,
        mlflow=providers.ThreadSafeSingleton(file_run_index, config.run_index_file),
        memory=providers.ThreadSafeSingleton(InMemoryRunIndex),
    )
    run_finder = providers.ThreadSafeSingleton(_finder, retried_tracking, run_index, tag_policy)
    run_queries = providers.ThreadSafeSingleton(_queries, retried_tracking, tag_policy)
    version_counter: providers.Provider[VersionCounterPort] = providers.Selector(
        config.backend,
        mlflow=providers.ThreadSafeSingleton(file_version_counter, config.run_name_counter_file),
        memory=providers.ThreadSafeSingleton(InMemoryVersionCounter),
    )
    lease = providers.ThreadSafeSingleton(
        _worker_lease,
        retried_tracking,
        tag_policy,
        config.heartbeat_interval,
        config.grace_period,
    )
    stage_runs = providers.ThreadSafeSingleton(
        _stage_runs,
        retried_tracking,
        runs,
        run_finder,
        tag_policy,
        version_counter,
        config.run_name_versions,
        lease,
        config.sweep_settle_seconds,
    )


def build_container(settings: TrackwrightSettings | None = None) -> Container:
    """A container configured from ``settings`` (default: from the environment).

    Raises:
        LeaseSettingsError: The heartbeat interval or grace period makes no sense.
    """
    chosen = settings if settings is not None else TrackwrightSettings.from_env()
    chosen.lease_settings()  # nonsensical lease settings are refused before anything runs
    container = Container()
    container.config.from_dict(chosen.model_dump(mode="json"))
    return container
