"""Seed-compatible training helpers: training tags, lineage, run names, run links.

They build tags with the one taxonomy of ``domain.tags.run_tags`` and the registry, and find
runs with the run finder; each docstring says what changed from the original.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trackwright.application.seed.finding import find_mlflow_run
from trackwright.application.seed.store_selection import default_container
from trackwright.application.use_cases.artifacts import upload_safely
from trackwright.domain.errors import IdentityError, InvalidRunNameError
from trackwright.domain.finding.lookup import RunLookupReport
from trackwright.domain.links import run_location
from trackwright.domain.model import RunKind
from trackwright.domain.run_names import build_run_name, fallback_run_name
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.lineage import Lineage, lineage_tags
from trackwright.domain.tags.run_tags import grouping_tags, training_tags

logger = logging.getLogger(__name__)
_KINDS = {
    "hpo_trial": RunKind.TRIAL,
    "hpo_trial_fold": RunKind.FOLD,
    "hpo_refit": RunKind.REFIT,
    "hpo_sweep": RunKind.SWEEP,
    "final_training": RunKind.FINAL_TRAINING,
    "benchmarking": RunKind.BENCHMARK,
    "conversion": RunKind.CONVERSION,
}


def _registry() -> TagKeyRegistry:
    return default_container().tag_policy().registry


def add_training_tags(
    tags: Mapping[str, Any] | None = None,
    run_name: str | None = None,
    training_type: str = "final",
) -> dict[str, Any]:
    """``tags`` plus ``mlflow.runType=training``, ``training_type`` and ``mlflow.runName``."""
    registry = _registry()
    added: dict[str, Any] = {**dict(tags or {}), **training_tags(registry, training_type)}
    if run_name:
        added[registry.key("run", "name")] = run_name
    return added


def _lineage_set(lineage: Mapping[str, Any] | Lineage | None) -> dict[str, str]:
    """The tags that tie a model trained from an HPO result to its origin.

    ``code.trained_on_full_data``, the grouping hashes with their schema version, and the
    ``code.lineage.*`` tags.
    """
    registry = _registry()
    found = lineage if isinstance(lineage, Lineage) else Lineage(**dict(lineage or {}))
    return {
        registry.key("training", "trained_on_full_data"): "true",
        **grouping_tags(registry, found.hpo_study_key_hash, found.hpo_trial_key_hash),
        **lineage_tags(found, registry),
    }


def add_training_tags_with_lineage(
    tags: Mapping[str, Any] | None,
    lineage: Mapping[str, Any] | Lineage | None,
    run_name: str | None = None,
    training_type: str = "final",
) -> dict[str, Any]:
    """Training tags, ``code.trained_on_full_data=true``, the grouping hashes and lineage.

    ``lineage`` is a ``Lineage`` or the original's dict (keys ``hpo_study_key_hash`` ...).
    Change from the original: the grouping hashes come with
    ``code.grouping_schema_version`` (W-24); run ids are checked (32-hex or UUID, W-3).
    """
    return {**add_training_tags(tags, run_name, training_type), **_lineage_set(lineage)}


def apply_lineage_tags(
    experiment_name: str,
    context: Any = None,
    output_dir: str | Path | None = None,
    root_dir: Any = None,
    config_dir: Any = None,
    lineage: Mapping[str, Any] | Lineage | None = None,
    run_id: str | None = None,
) -> RunLookupReport:
    """Find the training run (by id, metadata, index or run key) and add its lineage tags.

    Changes from the original: the tags are written with one batch call and the run's
    status is never touched (the original re-opened it and ended it FINISHED, W-10); no
    "most recent run" fallback (W-1e); the report is returned instead of printed.
    """
    report = find_mlflow_run(
        experiment_name, context, run_id, output_dir, None, False, root_dir, config_dir
    )
    if report.found and report.run_id:
        tags = add_training_tags_with_lineage({}, lineage)
        default_container().tracking().log_batch(
            report.run_id,
            tags={
                k: str(v)
                for k, v in tags.items()
                if not k.startswith("mlflow.") and k != "training_type"
            },
        )
        logger.info("lineage tags applied to run %s", report.run_id)
    return report


def build_training_run_name_with_fallback(
    process_type: str,
    context: StageContext | None = None,
    run_id: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """``MLFLOW_RUN_NAME`` if set, else the systematic name, else the documented fallback.

    Change from the original: no ``HPO_STUDY_KEY_HASH`` environment fallback (W-19) and no
    lookups of the parent run (the context carries what the name needs).
    """
    env = os.environ if environ is None else environ
    override = env.get("MLFLOW_RUN_NAME", "").strip()
    if override:
        return override
    kind = _KINDS.get(process_type)
    if kind is None or context is None:
        return f"training_run_{process_type}"
    ctx = context.evolve(kind=kind)
    try:
        return build_run_name(ctx)
    except (InvalidRunNameError, IdentityError) as exc:
        logger.info("systematic %s name not available (%s); using the fallback", process_type, exc)
        return fallback_run_name(ctx, run_id)


def get_mlflow_run_url(experiment_id: str, run_id: str, tracking_uri: str | None = None) -> str:
    """A link to the run, or for sqlite/file stores the ``mlflow ui`` command that serves it.

    Changes from the original: Azure ML gets a studio link, not the API host (W-35);
    credentials in the URI never appear in the result.
    """
    uri = tracking_uri or default_container().tracking().tracking_uri
    return str(run_location(uri, experiment_id, run_id))


def log_artifact_safe(
    local_path: str | Path,
    artifact_path: str | None = None,
    run_id: str | None = None,
    max_retries: int = 5,
    base_delay: float = 2.0,
) -> bool:
    """Upload one file to a run; True when stored, False (logged) when not.

    ``run_id`` defaults to the active MLflow run, else ``MLFLOW_RUN_ID``. Change from the
    original: retries are decided by error type and code, not by words in the message.
    """
    store = default_container().artifacts()
    return upload_safely(store, local_path, artifact_path, run_id, max_retries, base_delay)


def log_artifacts_safe(
    local_dir: str | Path,
    artifact_path: str | None = None,
    run_id: str | None = None,
    max_retries: int = 5,
    base_delay: float = 2.0,
) -> bool:
    """Upload every file below a folder to a run; True when stored, False (logged) when not."""
    store = default_container().artifacts()
    return upload_safely(store, local_dir, artifact_path, run_id, max_retries, base_delay)
