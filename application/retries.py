"""Retrying by what an error is, never by the words in its message.

The original retried any exception whose text contained "429", "503", "timeout",
"connection" or "temporary", so a ``ValueError("connection string invalid")`` was retried
and a typed 503 with another message was not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from domain.errors import TrackingError, TrackingRetriesExhaustedError, TrackingUnavailableError

logger = logging.getLogger(__name__)
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
    if isinstance(exc, TrackingUnavailableError):
        return True
    if isinstance(exc, TrackingError):
        return False
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if getattr(exc, "error_code", None) in RETRYABLE_ERROR_CODES:
        return True
    return bool(_type_names(exc) & _TRANSPORT_TYPES)


def _log_retry(operation: str) -> Callable[[RetryCallState], None]:
    def log(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        logger.warning(
            "%s failed (attempt %d): %s; retrying",
            operation,
            state.attempt_number,
            type(error).__name__,
        )

    return log


def retry_with_backoff(
    func: Callable[[], T],
    max_retries: int = 5,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    operation_name: str = "operation",
) -> T:
    """Call ``func``; on a temporary failure wait and call again, ``max_retries`` attempts in all.

    The wait before attempt k+1 is ``min(base_delay * 2**k, max_delay)`` plus up to 10% of
    ``base_delay`` of jitter. A non-temporary error, or the last attempt's error, is re-raised
    unchanged.
    """
    retrying = Retrying(
        stop=stop_after_attempt(max(1, max_retries)),
        wait=wait_exponential(multiplier=base_delay, max=max_delay)
        + wait_random(0, base_delay * 0.1),
        retry=retry_if_exception(is_retryable),
        reraise=True,
        before_sleep=_log_retry(operation_name),
    )
    return retrying(func)
