"""trackwright: create, tag, link and find the MLflow runs of a training app.

One import gives the everyday names::

    import trackwright

    container = trackwright.build_container(trackwright.TrackwrightSettings(backend="memory"))
    trackwright.use_container(container)        # the seed functions and the CLI agree with it
    sweep = container.sweep_tracker(experiment_id, trackwright.StageContext(
        kind=trackwright.RunKind.SWEEP, model="distilbert"))

Names load on first use (PEP 562), so ``import trackwright`` costs next to nothing and
imports neither mlflow nor the DI container library. The layers stay importable on their
own: ``trackwright.domain``, ``trackwright.adapters``, ``trackwright.application``;
``trackwright.testing`` holds the shipped TrackingPort contract suite.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from trackwright.application.exports import EVERYDAY, SEED_FUNCTIONS

__version__ = "0.1.0"
__all__ = sorted([*EVERYDAY, *SEED_FUNCTIONS])

if TYPE_CHECKING:  # the names as mypy and IDEs see them; at run time __getattr__ loads them
    from trackwright.adapters.memory import (
        InMemoryTracking as InMemoryTracking,
    )
    from trackwright.application.backends import (
        Backend as Backend,
    )
    from trackwright.application.backends import (
        available_backends as available_backends,
    )
    from trackwright.application.container import (
        Container as Container,
    )
    from trackwright.application.container import (
        build_container as build_container,
    )
    from trackwright.application.seed.finding import (
        find_mlflow_run as find_mlflow_run,
    )
    from trackwright.application.seed.finding import (
        find_run_by_trial_id as find_run_by_trial_id,
    )
    from trackwright.application.seed.hashes import (
        get_study_family_hash_from_run as get_study_family_hash_from_run,
    )
    from trackwright.application.seed.hashes import (
        get_study_family_hash_from_tags as get_study_family_hash_from_tags,
    )
    from trackwright.application.seed.hashes import (
        get_study_key_hash_from_run as get_study_key_hash_from_run,
    )
    from trackwright.application.seed.hashes import (
        get_study_key_hash_from_tags as get_study_key_hash_from_tags,
    )
    from trackwright.application.seed.hashes import (
        get_trial_key_hash_from_run as get_trial_key_hash_from_run,
    )
    from trackwright.application.seed.hashes import (
        get_trial_key_hash_from_tags as get_trial_key_hash_from_tags,
    )
    from trackwright.application.seed.queries import (
        find_best_run_by_metric as find_best_run_by_metric,
    )
    from trackwright.application.seed.queries import (
        group_runs_by_variant as group_runs_by_variant,
    )
    from trackwright.application.seed.queries import (
        query_runs_by_tags as query_runs_by_tags,
    )
    from trackwright.application.seed.retries import (
        retry_with_backoff as retry_with_backoff,
    )
    from trackwright.application.seed.runs import (
        create_child_run as create_child_run,
    )
    from trackwright.application.seed.runs import (
        create_child_run_core as create_child_run_core,
    )
    from trackwright.application.seed.runs import (
        create_run_safe as create_run_safe,
    )
    from trackwright.application.seed.runs import (
        create_training_child_run as create_training_child_run,
    )
    from trackwright.application.seed.runs import (
        create_training_mlflow_run as create_training_mlflow_run,
    )
    from trackwright.application.seed.runs import (
        default_container as default_container,
    )
    from trackwright.application.seed.runs import (
        get_or_create_experiment as get_or_create_experiment,
    )
    from trackwright.application.seed.runs import (
        resolve_experiment_id as resolve_experiment_id,
    )
    from trackwright.application.seed.runs import (
        setup_mlflow_tracking_env as setup_mlflow_tracking_env,
    )
    from trackwright.application.seed.runs import (
        use_container as use_container,
    )
    from trackwright.application.seed.training import (
        add_training_tags as add_training_tags,
    )
    from trackwright.application.seed.training import (
        add_training_tags_with_lineage as add_training_tags_with_lineage,
    )
    from trackwright.application.seed.training import (
        apply_lineage_tags as apply_lineage_tags,
    )
    from trackwright.application.seed.training import (
        build_training_run_name_with_fallback as build_training_run_name_with_fallback,
    )
    from trackwright.application.seed.training import (
        get_mlflow_run_url as get_mlflow_run_url,
    )
    from trackwright.application.seed.training import (
        log_artifact_safe as log_artifact_safe,
    )
    from trackwright.application.seed.training import (
        log_artifacts_safe as log_artifacts_safe,
    )
    from trackwright.application.settings import (
        TrackwrightSettings as TrackwrightSettings,
    )
    from trackwright.application.trackers import (
        BenchmarkResult as BenchmarkResult,
    )
    from trackwright.application.trackers import (
        ModelStages as ModelStages,
    )
    from trackwright.application.trackers import (
        SweepScope as SweepScope,
    )
    from trackwright.application.trackers import (
        SweepTracker as SweepTracker,
    )
    from trackwright.application.trackers import (
        TrialScope as TrialScope,
    )
    from trackwright.application.use_cases.artifacts import (
        get_mlflow_run_id as get_mlflow_run_id,
    )
    from trackwright.application.use_cases.lineage_query import (
        LineageQuery as LineageQuery,
    )
    from trackwright.application.use_cases.lineage_query import (
        LineageStep as LineageStep,
    )
    from trackwright.application.use_cases.run_creation import (
        RunCreation as RunCreation,
    )
    from trackwright.domain.errors import (
        DomainError as DomainError,
    )
    from trackwright.domain.errors import (
        TrackingError as TrackingError,
    )
    from trackwright.domain.finding.query import (
        RunQuery as RunQuery,
    )
    from trackwright.domain.model import (
        Metric as Metric,
    )
    from trackwright.domain.model import (
        Run as Run,
    )
    from trackwright.domain.model import (
        RunKind as RunKind,
    )
    from trackwright.domain.model import (
        RunStatus as RunStatus,
    )
    from trackwright.domain.stage_context import (
        StageContext as StageContext,
    )
    from trackwright.domain.tags.lineage import (
        Lineage as Lineage,
    )


def __getattr__(name: str) -> Any:
    module = EVERYDAY.get(name) or SEED_FUNCTIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'trackwright' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
