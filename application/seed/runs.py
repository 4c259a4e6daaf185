"""The seed-compatible functions: the original names and argument shapes, over a container.

Each call finds its store the way the original helpers did, at every call: an explicit
``tracking_uri`` argument, else the container bound with ``use_container``, else MLflow's
current tracking URI (``mlflow.set_tracking_uri``; read only when mlflow is already
imported, never imported for this), else the environment (``MLFLOW_TRACKING_URI``,
``TRACKWRIGHT_*``). One container per store, so experiment resolution and run creation
always use the same client (the original mixed them, W-30 in docs/weaknesses.md).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from trackwright.application.container import Container, build_container
from trackwright.application.settings import TrackwrightSettings
from trackwright.domain.errors import TrackingError
from trackwright.domain.experiment_resolution import ResolutionRequest
from trackwright.domain.model import Run
from trackwright.domain.tags.keys import RESERVED_KEYS

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_bound: Container | None = None
_by_uri: dict[str | None, Container] = {}
_PARENT_TAG = "mlflow.parentRunId"


def use_container(container: Container | None) -> None:
    """Bind the seed functions to ``container`` (None: find the store at every call again).

    While a container is bound, seed calls without an explicit ``tracking_uri`` use it,
    whatever MLflow's current tracking URI or the environment say. Bind the container
    your trackers use once, and the seed functions, trackers and CLI agree on the store.
    """
    global _bound
    with _lock:
        _bound = container
        _by_uri.clear()


def _mlflow_current_uri() -> str | None:
    """MLflow's current tracking URI when the application has imported mlflow already."""
    mlflow = sys.modules.get("mlflow")
    get_uri = getattr(mlflow, "get_tracking_uri", None)
    return str(get_uri()) if callable(get_uri) else None


def default_container(tracking_uri: str | None = None) -> Container:
    """The container a seed call uses: see the module docstring for the order."""
    with _lock:
        if tracking_uri is None and _bound is not None:
            return _bound
        settings = TrackwrightSettings.from_env()
        uri = tracking_uri
        if uri is None and settings.backend == "mlflow":
            uri = _mlflow_current_uri() or settings.tracking_uri
        if uri not in _by_uri:
            _by_uri[uri] = build_container(settings.model_copy(update={"tracking_uri": uri}))
        return _by_uri[uri]


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


def setup_mlflow_tracking_env(
    experiment_name: str,
    tracking_uri: str | None = None,
    parent_run_id: str | None = None,
    run_id: str | None = None,
    trial_number: int | str | None = None,
    additional_vars: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Environment variables for a training subprocess (only these; no copy of ``os.environ``).

    ``MLFLOW_EXPERIMENT_NAME`` always; ``MLFLOW_TRACKING_URI`` from the argument or the
    default container's store; ``MLFLOW_PARENT_RUN_ID``, ``MLFLOW_RUN_ID`` and
    ``MLFLOW_TRIAL_NUMBER`` when given; ``additional_vars`` last.
    """
    env = {"MLFLOW_EXPERIMENT_NAME": experiment_name}
    uri = tracking_uri or default_container().config.tracking_uri()
    if uri:
        env["MLFLOW_TRACKING_URI"] = uri
    if parent_run_id:
        env["MLFLOW_PARENT_RUN_ID"] = parent_run_id
    if run_id:
        env["MLFLOW_RUN_ID"] = run_id
    if trial_number is not None:
        env["MLFLOW_TRIAL_NUMBER"] = str(trial_number)
    env.update(additional_vars or {})
    return env
