"""Retrying by what an error is, never by the words in its message.

The original retried any exception whose text contained "429", "503", "timeout",
"connection" or "temporary", so a ``ValueError("connection string invalid")`` was retried
and a typed 503 with another message was not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from trackwright.adapters.retrying.policy import RetryPolicy, is_transient
from trackwright.domain.errors import TrackingError, TrackingRetriesExhaustedError

T = TypeVar("T")

RETRYABLE_ERROR_CODES = frozenset(
    {
        "TEMPORARILY_UNAVAILABLE",
        "REQUEST_LIMIT_EXCEEDED",
        "RESOURCE_EXHAUSTED",
        "DEADLINE_EXCEEDED",
        "SERVICE_UNDER_MAINTENANCE",
    }
)
"""MLflow ``error_code`` values that mean "try again later"."""

_TRANSPORT_TYPES = frozenset(
    {
        "requests.exceptions.ConnectionError",
        "requests.exceptions.Timeout",
        "urllib3.exceptions.ProtocolError",
    }
)


def _type_names(exc: BaseException) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(exc).__mro__}


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a temporary failure, judged by its type and error code."""
    if isinstance(exc, TrackingRetriesExhaustedError):
        return False  # the retry wrapper already spent its attempts: do not multiply them
    if is_transient(exc):
        return True
    if isinstance(exc, TrackingError):
        return False
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if getattr(exc, "error_code", None) in RETRYABLE_ERROR_CODES:
        return True
    return bool(_type_names(exc) & _TRANSPORT_TYPES)


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
