"""Who retries HTTP calls to an MLflow server: MLflow's REST client, or trackwright.

MLflow's REST client repeats a request itself on 408, 429 and 5xx answers and on
connection and read errors, for every HTTP method, ``MLFLOW_HTTP_REQUEST_MAX_RETRIES``
times (default 7) with backoff factor ``MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR`` (default 2):
up to about four minutes per call. It also re-sends a ``create_run`` whose answer was
lost, which makes a second run that no wrapper above MLflow can take back.

trackwright's ``RetryingTracking`` knows which calls are safe to repeat and looks a run
up before creating it again, so for trackwright's own calls it should be the only one
retrying. The switch is scoped, not process-wide: the environment is never written, and
MLflow calls the application makes itself keep MLflow's retries. Inside a call of the
MLflow adapter (``inside_trackwright_call``, entered by ``errors.translating``) MLflow's
REST client reads 0 retries. MLflow reads the setting through one object in
``mlflow.utils.rest_utils``; ``scope_http_retries`` replaces that object by one that
answers the same outside trackwright's calls.

Opt-out: set ``MLFLOW_HTTP_REQUEST_MAX_RETRIES`` yourself and MLflow's retries apply to
trackwright's calls too; the attempts then multiply (MLflow's retries + 1, times
trackwright's attempts) and a lost ``create_run`` answer can duplicate a run, so a
warning says so once.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger(__name__)
MAX_RETRIES_VARIABLE = "MLFLOW_HTTP_REQUEST_MAX_RETRIES"
_inside = contextvars.ContextVar("trackwright_mlflow_call", default=False)
_install_lock = threading.Lock()
_warned: set[str] = set()


class ScopedMaxRetries:
    """MLflow's max-retries setting, read as 0 inside trackwright's own calls.

    Args:
        original: MLflow's setting object (its ``get()`` reads the environment).
    """

    def __init__(self, original: Any) -> None:
        self._original = original

    def get(self) -> Any:
        """0 inside a trackwright call unless the user set the variable; else MLflow's."""
        if not _inside.get():
            return self._original.get()
        chosen = os.environ.get(MAX_RETRIES_VARIABLE)
        if chosen is None:
            return 0
        _warn_once(chosen)
        return self._original.get()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


def _warn_once(chosen: str) -> None:
    if chosen.strip() not in ("", "0") and chosen not in _warned:
        _warned.add(chosen)
        logger.warning(
            "%s=%s: MLflow retries HTTP calls itself, on top of trackwright's retries; "
            "a create_run whose answer is lost may then leave a duplicate run",
            MAX_RETRIES_VARIABLE,
            chosen,
        )


def scope_http_retries() -> bool:
    """Make MLflow's REST client read 0 retries inside trackwright's calls (idempotent).

    Returns:
        Whether the scoped setting is in place (False if this MLflow reads it elsewhere;
        then MLflow's retries apply to trackwright's calls too, as with the opt-out).
    """
    from mlflow.utils import rest_utils

    with _install_lock:
        current = getattr(rest_utils, MAX_RETRIES_VARIABLE, None)
        if isinstance(current, ScopedMaxRetries):
            return True
        if current is None or not callable(getattr(current, "get", None)):
            logger.debug("MLflow reads its HTTP retries elsewhere; they stay on")
            return False
        setattr(rest_utils, MAX_RETRIES_VARIABLE, ScopedMaxRetries(current))
        return True


@contextmanager
def inside_trackwright_call() -> Iterator[None]:
    """Within the block (this thread or task only), MLflow's HTTP retries are off."""
    token = _inside.set(True)
    try:
        yield
    finally:
        _inside.reset(token)
