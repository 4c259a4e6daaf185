"""trackwright's application layer: the container, the use cases and the seed functions.

Importing it does not import mlflow; the MLflow adapter loads when a container that
selects it first creates its tracking backend.
"""

from trackwright.application.container import Container, build_container
from trackwright.application.seed.finding import find_mlflow_run, find_run_by_trial_id
from trackwright.application.seed.hashes import (
    get_study_family_hash_from_run,
    get_study_family_hash_from_tags,
    get_study_key_hash_from_run,
    get_study_key_hash_from_tags,
    get_trial_key_hash_from_run,
    get_trial_key_hash_from_tags,
)
from trackwright.application.seed.queries import (
    find_best_run_by_metric,
    group_runs_by_variant,
    query_runs_by_tags,
)
from trackwright.application.seed.retries import retry_with_backoff
from trackwright.application.seed.runs import (
    create_child_run,
    create_child_run_core,
    create_run_safe,
    create_training_child_run,
    create_training_mlflow_run,
    default_container,
    get_or_create_experiment,
    resolve_experiment_id,
    setup_mlflow_tracking_env,
    use_container,
)
from trackwright.application.seed.training import (
    add_training_tags,
    add_training_tags_with_lineage,
    apply_lineage_tags,
    build_training_run_name_with_fallback,
    get_mlflow_run_url,
    log_artifact_safe,
    log_artifacts_safe,
)
from trackwright.application.settings import TrackwrightSettings
from trackwright.application.use_cases.artifacts import get_mlflow_run_id
from trackwright.application.use_cases.run_creation import RunCreation

__all__ = [
    "Container",
    "RunCreation",
    "TrackwrightSettings",
    "add_training_tags",
    "add_training_tags_with_lineage",
    "apply_lineage_tags",
    "build_container",
    "build_training_run_name_with_fallback",
    "create_child_run",
    "create_child_run_core",
    "create_run_safe",
    "create_training_child_run",
    "create_training_mlflow_run",
    "default_container",
    "find_best_run_by_metric",
    "find_mlflow_run",
    "find_run_by_trial_id",
    "get_mlflow_run_id",
    "get_mlflow_run_url",
    "get_or_create_experiment",
    "get_study_family_hash_from_run",
    "get_study_family_hash_from_tags",
    "get_study_key_hash_from_run",
    "get_study_key_hash_from_tags",
    "get_trial_key_hash_from_run",
    "get_trial_key_hash_from_tags",
    "group_runs_by_variant",
    "log_artifact_safe",
    "log_artifacts_safe",
    "query_runs_by_tags",
    "resolve_experiment_id",
    "retry_with_backoff",
    "setup_mlflow_tracking_env",
    "use_container",
]
