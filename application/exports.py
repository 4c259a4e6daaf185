"""Where each public name lives: the one table the lazy front doors read.

``import trackwright`` and ``import trackwright.application`` load a name's module on first
use of the name (PEP 562 ``__getattr__``), so importing either costs next to nothing.
"""

from __future__ import annotations

_A = "trackwright.application"
_SEED = f"{_A}.seed"

EVERYDAY: dict[str, str] = {
    "Backend": f"{_A}.backends",
    "available_backends": f"{_A}.backends",
    "Container": f"{_A}.container",
    "build_container": f"{_A}.container",
    "TrackwrightSettings": f"{_A}.settings",
    "SweepTracker": f"{_A}.trackers",
    "SweepScope": f"{_A}.trackers",
    "TrialScope": f"{_A}.trackers",
    "ModelStages": f"{_A}.trackers",
    "BenchmarkResult": f"{_A}.trackers",
    "LineageQuery": f"{_A}.use_cases.lineage_query",
    "LineageStep": f"{_A}.use_cases.lineage_query",
    "RunCreation": f"{_A}.use_cases.run_creation",
    "StageContext": "trackwright.domain.stage_context",
    "Lineage": "trackwright.domain.tags.lineage",
    "Metric": "trackwright.domain.model",
    "Run": "trackwright.domain.model",
    "RunKind": "trackwright.domain.model",
    "RunStatus": "trackwright.domain.model",
    "RunQuery": "trackwright.domain.finding.query",
    "InMemoryTracking": "trackwright.adapters.memory",
    "DomainError": "trackwright.domain.errors",
    "TrackingError": "trackwright.domain.errors",
}
"""The everyday names of ``import trackwright``."""

SEED_FUNCTIONS: dict[str, str] = {
    **dict.fromkeys(["find_mlflow_run", "find_run_by_trial_id"], f"{_SEED}.finding"),
    **dict.fromkeys(
        [
            "get_study_family_hash_from_run",
            "get_study_family_hash_from_tags",
            "get_study_key_hash_from_run",
            "get_study_key_hash_from_tags",
            "get_trial_key_hash_from_run",
            "get_trial_key_hash_from_tags",
        ],
        f"{_SEED}.hashes",
    ),
    **dict.fromkeys(
        ["find_best_run_by_metric", "group_runs_by_variant", "query_runs_by_tags"],
        f"{_SEED}.queries",
    ),
    "retry_with_backoff": f"{_SEED}.retries",
    **dict.fromkeys(
        [
            "create_child_run",
            "create_child_run_core",
            "create_run_safe",
            "create_training_child_run",
            "create_training_mlflow_run",
            "get_or_create_experiment",
            "resolve_experiment_id",
        ],
        f"{_SEED}.runs",
    ),
    **dict.fromkeys(
        ["default_container", "setup_mlflow_tracking_env", "use_container"],
        f"{_SEED}.store_selection",
    ),
    **dict.fromkeys(
        [
            "add_training_tags",
            "add_training_tags_with_lineage",
            "apply_lineage_tags",
            "build_training_run_name_with_fallback",
            "get_mlflow_run_url",
            "log_artifact_safe",
            "log_artifacts_safe",
        ],
        f"{_SEED}.training",
    ),
    "get_mlflow_run_id": f"{_A}.use_cases.artifacts",
}
"""The seed-compatible functions (the original helpers' names), exported from both doors."""

APPLICATION: dict[str, str] = {
    **SEED_FUNCTIONS,
    **{
        name: EVERYDAY[name]
        for name in ("Container", "RunCreation", "TrackwrightSettings", "build_container")
    },
}
"""What ``trackwright.application`` has always exported."""
