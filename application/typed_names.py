"""The names of ``trackwright.application`` with their types, for mypy and IDEs only.

Both front doors (``trackwright`` and ``trackwright.application``) star-import this module
under ``TYPE_CHECKING``; at run time they load each name on first use from
``trackwright.application.exports``; ``tests/unit/test_container_and_imports.py`` keeps
the lists equal.
"""

from __future__ import annotations

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
    get_or_create_experiment as get_or_create_experiment,
)
from trackwright.application.seed.runs import (
    resolve_experiment_id as resolve_experiment_id,
)
from trackwright.application.seed.store_selection import (
    default_container as default_container,
)
from trackwright.application.seed.store_selection import (
    setup_mlflow_tracking_env as setup_mlflow_tracking_env,
)
from trackwright.application.seed.store_selection import (
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
from trackwright.application.use_cases.artifacts import (
    get_mlflow_run_id as get_mlflow_run_id,
)
from trackwright.application.use_cases.run_creation import (
    RunCreation as RunCreation,
)
