"""Seed-compatible run finding: ``find_mlflow_run`` and ``find_run_by_trial_id``.

Both answer with a ``RunLookupReport`` that lists only the strategies actually tried, each
with its outcome. They use the default container (``use_container`` rebinds it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trackwright.application.container import Container
from trackwright.application.seed.store_selection import default_container
from trackwright.domain.errors import (
    ExperimentDeletedError,
    ExperimentNotFoundError,
    IncompleteRunKeyError,
)
from trackwright.domain.finding.lookup import FindRequest, RunLookupReport, StrategyAttempt
from trackwright.domain.identity import run_key, run_key_hash, run_key_of_process
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.run_tags import STAGE

logger = logging.getLogger(__name__)
TRIAL_ID_STRATEGY = "trial_id_tag_search"
_VARIANT_STAGES = frozenset({"final_training", "conversion"})


def _experiment_id(container: Container, name: str) -> str:
    found = container.experiments().find(name)
    if found is None:
        raise ExperimentNotFoundError(f"Experiment {name!r} not found")
    return found.experiment_id


def context_run_key_hash(context: Any) -> str | None:
    """The run-key hash of a context (``StageContext`` or the original's), or None."""
    if context is None:
        return None
    try:
        kind = getattr(context, "kind", None)
        if kind is not None:
            return run_key_hash(run_key(kind, context))
        process_type = getattr(context, "process_type", None)
        return run_key_hash(run_key_of_process(process_type, context)) if process_type else None
    except IncompleteRunKeyError as exc:
        logger.info("no run key for this context (%s); key strategies skipped", exc)
        return None


def context_tags(context: Any, registry: TagKeyRegistry) -> dict[str, str]:
    """Tag equalities for the fuzzy ``tag_context`` strategy.

    ``code.stage`` is matched against the process type, which is what runs carry (the
    original matched the naming stage, e.g. ``hpo_trial``, which no run carries, W-1f);
    ``code.variant`` only for final-training and conversion runs, the only runs that
    carry it.
    """
    if context is None:
        return {}
    kind = getattr(context, "kind", None)
    stage = STAGE[kind] if kind is not None else getattr(context, "process_type", None)
    env = getattr(context, "environment", None) or getattr(context, "env", None)
    variant = getattr(context, "variant", None) if stage in _VARIANT_STAGES else None
    pairs = {
        registry.key("process", "stage"): stage,
        registry.key("process", "model"): getattr(context, "model", None),
        registry.key("process", "env"): env,
        registry.key("paths", "spec_fp"): getattr(context, "spec_fp", None),
        registry.key("legacy", "variant"): str(variant) if variant else None,
    }
    return {key: str(value) for key, value in pairs.items() if value}


def metadata_run_id(output_dir: str | Path | None) -> str | None:
    """The run id ``<output_dir>/metadata.json`` records under ``mlflow.run_id``, if any.

    Writers store it under ``"mlflow"``; the original read ``"mlflow_info"``, so this
    strategy never hit (W-1b). Both are read, ``"mlflow"`` first.
    """
    if output_dir is None:
        return None
    path = Path(output_dir) / "metadata.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.warning("%s cannot be read (%s); metadata_json skipped", path, exc)
        return None
    for section in ("mlflow", "mlflow_info"):
        value = document.get(section) if isinstance(document, dict) else None
        if isinstance(value, dict) and isinstance(value.get("run_id"), str):
            return str(value["run_id"])
    return None


def find_mlflow_run(
    experiment_name: str,
    context: Any = None,
    run_id: str | None = None,
    output_dir: str | Path | None = None,
    run_key_hash: str | None = None,
    strict: bool | None = None,
    root_dir: Any = None,
    config_dir: Any = None,
    *,
    fuzzy: Sequence[str] = (),
    run_name: str | None = None,
) -> RunLookupReport:
    """Find a run: explicit id, output-folder metadata, local index, run-key tag, fuzzy.

    Changes from the original: the local index works (it raised ``TypeError``, W-1a) and
    is keyed by tracking URI (W-21); an incomplete context skips the key strategies
    instead of raising (W-1a); ``metadata.json`` is read where writers put the run id
    (W-1b); fuzzy strategies (``tag_context``, ``run_name``, ``most_recent``) run only
    when named in ``fuzzy`` (the original fell back to the most recent run of the whole
    experiment, W-1e), ``run_name`` comes from the argument or ``context.run_name``
    (W-1c), and ``tag_context`` matches the process type (W-1f); ``strict=None`` means
    non-strict, whatever ``config_dir`` holds (W-1d: the original read a key its config
    never had, so it was always non-strict too); the report lists only strategies tried,
    each with its outcome (W-1f); backend failures propagate. ``root_dir`` and
    ``config_dir`` are accepted and unused: the index location is the container's.

    Raises:
        ExperimentNotFoundError: No experiment is called ``experiment_name``.
        ExperimentDeletedError: The experiment called ``experiment_name`` is deleted.
        RunNotFoundError: ``strict=True`` and nothing was found (a ``ValueError``).
    """
    container = default_container()
    registry = container.tag_policy().registry
    request = FindRequest(
        experiment_id=_experiment_id(container, experiment_name),
        run_id=run_id,
        metadata_run_id=metadata_run_id(output_dir),
        run_key_hash=run_key_hash or context_run_key_hash(context),
        context_tags=context_tags(context, registry),
        run_name=run_name or getattr(context, "run_name", None),
        fuzzy=tuple(fuzzy),
        strict=bool(strict),
        experiment_label=experiment_name,
    )
    return container.run_finder().find(request)


def _trial_miss(why: str, error: str) -> RunLookupReport:
    return RunLookupReport(
        found=False, strategies_attempted=(StrategyAttempt(TRIAL_ID_STRATEGY, why),), error=error
    )


def find_run_by_trial_id(
    trial_id: str, experiment_name: str | None = None, config_dir: Any = None
) -> RunLookupReport:
    """The newest run tagged ``code.trial_id = trial_id`` that was not interrupted.

    Changes from the original: the search works (its ``OR``/``IS NULL`` filter was
    rejected by MLflow every time, W-4): the trial id is matched exactly on the server,
    with any quotes in it (W-5), and runs tagged ``code.interrupted = "true"`` are
    skipped page by page. An experiment name is required: the tracking port does not
    list experiments, so a missing name is reported instead of scanning every
    experiment. Backend failures propagate instead of becoming an error string (W-31).
    ``config_dir`` is accepted and unused.
    """
    if not experiment_name:
        why = "no experiment name given; name the experiment to search"
        return _trial_miss(why, why)
    container = default_container()
    try:
        found = container.experiments().find(experiment_name)
    except ExperimentDeletedError as exc:
        return _trial_miss(str(exc), f"Experiment '{experiment_name}' not found")
    if found is None:
        return _trial_miss("no such experiment", f"Experiment '{experiment_name}' not found")
    run = container.run_queries().latest_by_trial_id(trial_id, [found.experiment_id])
    if run is None:
        why = "no run with this trial id that was not interrupted"
        return _trial_miss(why, f"No run found with trial_id={trial_id!r}")
    attempt = StrategyAttempt(TRIAL_ID_STRATEGY, f"found run {run.run_id}")
    return RunLookupReport(True, run.run_id, TRIAL_ID_STRATEGY, (attempt,))
