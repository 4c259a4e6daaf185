"""The composition root: a ``dependency_injector`` container wiring ports to services.

Which backend a container uses is decided in one place, ``application.backends``, from the
entry points of the group ``trackwright.backends``. The MLflow adapter is imported only when
a container opens the ``mlflow`` backend, so a container on the fake never imports mlflow.

Providers users reach for: ``tracking`` (the backend with safe calls retried: use it to log),
``backend`` (the bare backend, no retries), ``runs``, ``experiments``, ``stage_runs``,
``sweep_tracker(experiment_id, context)``, ``model_stages(experiment_id)``, ``lineage``,
``run_finder``, ``run_queries``, ``artifacts``.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from trackwright.adapters.memory.run_index import InMemoryRunIndex
from trackwright.adapters.memory.version_counter import InMemoryVersionCounter
from trackwright.adapters.retrying import RetryingTracking, RetryPolicy
from trackwright.adapters.run_index import FileRunIndex, default_index_path
from trackwright.adapters.run_index.version_counter import FileVersionCounter, default_counter_path
from trackwright.adapters.yaml_config import load_tag_registry
from trackwright.application.backends import Backend, NoArtifactStoreError, find_backend
from trackwright.application.settings import TrackwrightSettings
from trackwright.application.trackers.lease import WorkerLease
from trackwright.application.trackers.models import ModelStages
from trackwright.application.trackers.stage_runs import StageRuns
from trackwright.application.trackers.sweep import SweepTracker
from trackwright.application.use_cases.lifecycle import RunLifecycle
from trackwright.application.use_cases.lineage_query import LineageQuery
from trackwright.application.use_cases.run_creation import RunCreation
from trackwright.domain.distributed.leases import LeaseSettings
from trackwright.domain.experiment_resolution import ExperimentDirectory, default_chain
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.queries import RunQueries
from trackwright.domain.ports import ArtifactPort, RunIndexPort, TrackingPort, VersionCounterPort
from trackwright.domain.tags.policy import TagPolicy


def open_backend(plugin: Backend, settings: TrackwrightSettings) -> TrackingPort:
    """The bare tracking backend the plug-in opens for ``settings``."""
    return plugin.open(settings)


def artifact_store(plugin: Backend, tracking: TrackingPort) -> ArtifactPort:
    """The plug-in's artifact store for ``tracking``.

    Raises:
        NoArtifactStoreError: The backend has none; override the ``artifacts`` provider.
    """
    if plugin.artifacts is None:
        raise NoArtifactStoreError(
            f"the {type(tracking).__name__} backend has no artifact store; "
            "override the container's `artifacts` provider"
        )
    return plugin.artifacts(tracking)


def _run_index(plugin: Backend, path: str | None) -> RunIndexPort:
    """The local run index: in memory for the fake, else a file (None: the default path)."""
    if plugin.in_memory_state:
        return InMemoryRunIndex()
    return FileRunIndex(path if path else default_index_path())


def _version_counter(plugin: Backend, path: str | None) -> VersionCounterPort:
    """The run-name version counter: in memory for the fake, else a file."""
    if plugin.in_memory_state:
        return InMemoryVersionCounter()
    return FileVersionCounter(path if path else default_counter_path())


def _lineage(tracking: TrackingPort, policy: TagPolicy) -> LineageQuery:
    return LineageQuery(tracking, policy.registry)


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
    params_delay: float,
) -> StageRuns:
    counter = versions if versioned_names else None
    stages = StageRuns(tracking, runs, finder, policy.registry, policy.azure_ml, counter, lease)
    stages.sweep_settle_seconds = settle_seconds
    stages.trial_params_delay = params_delay
    return stages


class Container(containers.DeclarativeContainer):
    """Services as thread-safe singletons over the backend that ``config.backend`` names.

    ``tracking`` is what to log with: the backend with safe calls retried. ``backend`` is
    the bare one (tests override it with a fake; the retried ``tracking`` wraps the override).
    """

    config = providers.Configuration()
    settings = providers.Callable(TrackwrightSettings.model_validate, config)
    plugin = providers.ThreadSafeSingleton(find_backend, config.backend)

    backend: providers.Provider[TrackingPort] = providers.ThreadSafeSingleton(
        open_backend, plugin, settings
    )
    tag_policy = providers.ThreadSafeSingleton(_policy, config.tags_file, backend)
    tracking: providers.Provider[TrackingPort] = providers.ThreadSafeSingleton(
        retrying_tracking,
        backend,
        tag_policy,
        config.retry_attempts,
        config.retry_initial_wait,
        config.retry_max_wait,
    )
    experiments = providers.ThreadSafeSingleton(ExperimentDirectory, tracking)
    resolver = providers.ThreadSafeSingleton(default_chain, tracking, experiments)
    runs = providers.ThreadSafeSingleton(RunCreation, tracking, tag_policy, experiments)
    artifacts = providers.ThreadSafeSingleton(artifact_store, plugin, backend)
    lifecycle = providers.ThreadSafeSingleton(RunLifecycle, tracking)
    run_index: providers.Provider[RunIndexPort] = providers.ThreadSafeSingleton(
        _run_index, plugin, config.run_index_file
    )
    run_finder = providers.ThreadSafeSingleton(_finder, tracking, run_index, tag_policy)
    run_queries = providers.ThreadSafeSingleton(_queries, tracking, tag_policy)
    version_counter: providers.Provider[VersionCounterPort] = providers.ThreadSafeSingleton(
        _version_counter, plugin, config.run_name_counter_file
    )
    lease = providers.ThreadSafeSingleton(
        _worker_lease,
        tracking,
        tag_policy,
        config.heartbeat_interval,
        config.grace_period,
    )
    stage_runs = providers.ThreadSafeSingleton(
        _stage_runs,
        tracking,
        runs,
        run_finder,
        tag_policy,
        version_counter,
        config.run_name_versions,
        lease,
        config.sweep_settle_seconds,
        config.trial_params_delay,
    )
    lineage = providers.ThreadSafeSingleton(_lineage, tracking, tag_policy)
    sweep_tracker = providers.Factory(SweepTracker, stage_runs)
    model_stages = providers.Factory(ModelStages, stage_runs)


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
