"""The seed-compatible run functions: the original names and argument shapes, over a container.

Each call finds its store the way the original helpers did, at every call
(``trackwright.application.seed.store_selection``: an explicit ``tracking_uri``, else the
bound container, else MLflow's current tracking URI, else the environment).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from trackwright.application.seed.store_selection import default_container
from trackwright.domain.errors import TrackingError
from trackwright.domain.experiment_resolution import ResolutionRequest
from trackwright.domain.model import Run
from trackwright.domain.tags.keys import RESERVED_KEYS

logger = logging.getLogger(__name__)
_PARENT_TAG = "mlflow.parentRunId"


def create_child_run_core(
    parent_run_id: str,
    run_name: str,
    experiment_name: str | None = None,
    trial_number: int | str | None = None,
    fold_idx: int | None = None,
    additional_tags: Mapping[str, Any] | None = None,
    tracking_uri: str | None = None,
) -> tuple[str, Run]:
    """Create a child run and return ``(run_id, run)`` (the run is created, not started).

    Changes from the original: caller tags cannot override ``mlflow.parentRunId`` or
    ``mlflow.runName`` (W-29); ``azureml.*`` tags only for ``azureml://`` URIs (W-2); an
    unknown parent raises ``ParentRunNotFoundError`` and a parent outside
    ``experiment_name`` raises ``ParentExperimentMismatchError`` instead of silently
    creating the run elsewhere; no tag-less retry (one ``create_run`` with all tags).
    """
    runs = default_container(tracking_uri).runs()
    run = runs.create_child(
        parent_run_id,
        run_name,
        experiment_name=experiment_name,
        trial_number=trial_number,
        fold_idx=fold_idx,
        tags=additional_tags,
    )
    return run.run_id, run


@contextmanager
def create_child_run(
    parent_run_id: str,
    trial_number: int | str,
    experiment_name: str | None = None,
    additional_tags: Mapping[str, Any] | None = None,
) -> Iterator[Run]:
    """Create child run ``trial_{trial_number}`` and end it by how the body ends.

    Changes from the original: yields the run (the original yielded None, W-9); ends it
    FINISHED / FAILED / KILLED by outcome (the original always ended FINISHED) and
    re-raises the body's exception; never falls back to an unlinked run (errors raise).
    """
    runs = default_container().runs()
    run = runs.create_child(
        parent_run_id,
        f"trial_{trial_number}",
        experiment_name=experiment_name,
        trial_number=trial_number,
        tags=additional_tags,
    )
    with runs.scoped(run) as scoped:
        yield scoped


def create_run_safe(
    experiment_id: str,
    run_name: str,
    tags: Mapping[str, Any] | None = None,
    parent_run_id: str | None = None,
) -> str | None:
    """Create a run in ``experiment_id``; None when the tracking backend fails.

    Changes from the original: bad input (empty name, invalid tags) raises a
    ``DomainError`` instead of returning None, since it is a caller bug; only backend
    failures (``TrackingError``) return None, logged at WARNING with their cause.
    """
    runs = default_container().runs()
    caller_tags = dict(tags or {})
    caller_tags.pop(_PARENT_TAG, None)
    try:
        if parent_run_id:
            return runs.create_child(parent_run_id, run_name, tags=caller_tags).run_id
        return runs.create_in_experiment(experiment_id, run_name, tags=caller_tags).run_id
    except TrackingError as exc:
        logger.warning("create_run_safe: run %r not created: %s", run_name, exc)
        return None


def get_or_create_experiment(name: str) -> str:
    """The id of experiment ``name``, created if missing.

    Changes from the original: failures raise (the original returned None, so a concurrent
    creator or a backend outage looked like "no experiment", W-31); a concurrent creation
    returns the winner's id; a deleted experiment raises ``ExperimentDeletedError``.
    """
    return default_container().experiments().get_or_create(name)


def resolve_experiment_id(
    experiment_name: str | None = None,
    parent_run_id: str | None = None,
    active_run: Any = None,
) -> str | None:
    """Experiment id from the parent run, then the name, then the active run; else None.

    ``active_run`` may be an MLflow ``ActiveRun`` or a trackwright ``Run``. Changes from
    the original: backend failures raise instead of being logged and swallowed (W-31).
    """
    info = getattr(active_run, "info", active_run)
    active_id = getattr(info, "experiment_id", None)
    request = ResolutionRequest(
        experiment_name, parent_run_id, str(active_id) if active_id is not None else None
    )
    resolver = default_container().resolver()
    return resolver.resolve(request).experiment_id


def _parent_from(parent_run_id: str | None, tags: Mapping[str, Any] | None) -> str | None:
    """The parent: the argument, else an ``mlflow.parentRunId`` the caller put in tags."""
    if parent_run_id:
        return parent_run_id
    value = (tags or {}).get(_PARENT_TAG)
    return str(value) if value else None


def create_training_mlflow_run(
    experiment_name: str,
    run_name: str,
    tags: Mapping[str, Any] | None = None,
    parent_run_id: str | None = None,
    run_id: str | None = None,
    root_dir: Any = None,
    config_dir: Any = None,
    context: Any = None,
    tracking_uri: str | None = None,
    trial_number: int | str | None = None,
    fold_idx: int | None = None,
    create_as_child: bool = False,
) -> tuple[str, Run]:
    """Create (or, with ``run_id``, fetch) a training run; returns ``(run_id, run)``.

    Changes from the original: ``parent_run_id`` (or an ``mlflow.parentRunId`` in
    ``tags``, as refit passed it) creates a real parent link (W-30); the name and tags are
    validated before any call (W-36); one client for resolution and creation (W-30).
    ``root_dir``, ``config_dir`` and ``context`` are accepted for compatibility; the
    local run index is written by the run-finding layer.
    """
    container = default_container(tracking_uri)
    if run_id:
        run = container.tracking().get_run(run_id)
        return run.run_id, run
    caller_tags = {k: v for k, v in (tags or {}).items() if k not in RESERVED_KEYS}
    parent = _parent_from(parent_run_id, tags)
    runs = container.runs()
    if parent:
        run = runs.create_child(
            parent,
            run_name,
            experiment_name=experiment_name,
            trial_number=trial_number if create_as_child else None,
            fold_idx=fold_idx if create_as_child else None,
            tags=caller_tags,
        )
    else:
        run = runs.create_standalone(experiment_name, run_name, tags=caller_tags)
    return run.run_id, run


def create_training_child_run(
    experiment_name: str,
    run_name: str,
    parent_run_id: str,
    tags: Mapping[str, Any] | None = None,
    trial_number: int | str | None = None,
    fold_idx: int | None = None,
    tracking_uri: str | None = None,
) -> tuple[str, Run]:
    """Create a training child run (HPO trial or fold); returns ``(run_id, run)``.

    Changes from the original: nothing is printed (the library logs); errors propagate as
    typed errors instead of being printed and re-raised.
    """
    return create_child_run_core(
        parent_run_id, run_name, experiment_name, trial_number, fold_idx, tags, tracking_uri
    )
