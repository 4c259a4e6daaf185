"""Which container a seed call uses: the store-selection rule of the seed functions.

An explicit ``tracking_uri`` argument, else the container bound with ``use_container``, else
MLflow's current tracking URI (``mlflow.set_tracking_uri``; read only when mlflow is already
imported, never imported for this), else the environment (``MLFLOW_TRACKING_URI``,
``TRACKWRIGHT_*``). One container per store, so experiment resolution and run creation
always use the same client (the original mixed them, W-30 in docs/weaknesses.md).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping

from trackwright.application.container import Container, build_container
from trackwright.application.settings import TrackwrightSettings

_lock = threading.Lock()
_bound: Container | None = None
_by_uri: dict[str | None, Container] = {}


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
