"""Retrying by what an error is, never by the words in its message.

The original retried any exception whose text contained "429", "503", "timeout",
"connection" or "temporary", so a ``ValueError("connection string invalid")`` was retried
and a typed 503 with another message was not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from trackwright.adapters.retrying.policy import RetryPolicy, is_transient
from trackwright.domain.error_codes import means_try_later
from trackwright.domain.errors import TrackingError, TrackingRetriesExhaustedError

T = TypeVar("T")

_TRANSPORT_MODULES = ("requests.", "urllib3.", "mlflow.")


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a temporary failure, judged by its type and error code.

    The classification has one home: a ``TrackingError`` is judged by the tracking
    wrapper's ``is_transient``; an exception from MLflow or its HTTP transport (raised by
    the caller's own MLflow calls) is first translated by the MLflow adapter, as
    trackwright's own calls are; an ``error_code`` is read from the one code table.
    """
    if isinstance(exc, TrackingRetriesExhaustedError):
        return False  # the retry wrapper already spent its attempts: do not multiply them
    if isinstance(exc, TrackingError):
        return is_transient(exc)
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if type(exc).__module__.startswith(_TRANSPORT_MODULES) and isinstance(exc, Exception):
        from trackwright.adapters.mlflow_store.errors import translated

        return is_transient(translated(exc, "retry_with_backoff"))
    code = getattr(exc, "error_code", None)
    return code is not None and means_try_later(code)


def retry_with_backoff(
    func: Callable[[], T],
    max_retries: int = 5,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    operation_name: str = "operation",
) -> T:
    """Call ``func``; on a temporary failure wait and call again, ``max_retries`` attempts in all.

    The same ``RetryPolicy`` as the tracking wrapper, with ``is_retryable`` as the test:
    the wait before attempt k+1 is ``min(base_delay * 2**k, max_delay)`` plus up to
    ``base_delay`` of jitter (the original added up to 10% of the wait). A non-temporary
    error, or the last attempt's error, is re-raised unchanged.
    """
    policy = RetryPolicy(attempts=max(1, max_retries), initial_wait=base_delay, max_wait=max_delay)
    return policy.call(operation_name, lambda _attempt: func(), is_retryable, reraise_last=True)
