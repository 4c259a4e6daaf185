"""The one place where MLflow and HTTP exceptions become ``TrackingError`` subclasses.

The decision reads the exception's type and MLflow ``error_code``, never its message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from mlflow.exceptions import MlflowException

from domain.errors import (
    TrackingAlreadyExistsError,
    TrackingError,
    TrackingInvalidValueError,
    TrackingNotFoundError,
    TrackingRateLimitedError,
    TrackingUnavailableError,
)

_BY_CODE: dict[str, type[TrackingError]] = {
    "RESOURCE_DOES_NOT_EXIST": TrackingNotFoundError,
    "ENDPOINT_NOT_FOUND": TrackingNotFoundError,
    "NOT_FOUND": TrackingNotFoundError,
    "RESOURCE_ALREADY_EXISTS": TrackingAlreadyExistsError,
    "INVALID_PARAMETER_VALUE": TrackingInvalidValueError,
    "INVALID_STATE": TrackingInvalidValueError,
    "BAD_REQUEST": TrackingInvalidValueError,
    "MALFORMED_REQUEST": TrackingInvalidValueError,
    "REQUEST_LIMIT_EXCEEDED": TrackingRateLimitedError,
    "RESOURCE_EXHAUSTED": TrackingRateLimitedError,
    "TEMPORARILY_UNAVAILABLE": TrackingUnavailableError,
    "SERVICE_UNDER_MAINTENANCE": TrackingUnavailableError,
    "DEADLINE_EXCEEDED": TrackingUnavailableError,
}
_TRANSPORT_FAILURES = (requests.exceptions.ConnectionError, requests.exceptions.Timeout)


def _transport_failure(exc: BaseException) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _TRANSPORT_FAILURES):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def translated(exc: Exception, operation: str) -> TrackingError:
    """The ``TrackingError`` subclass for an exception raised by MLflow or its transport."""
    if _transport_failure(exc) is not None:
        return TrackingUnavailableError(
            f"tracking server unreachable ({type(exc).__name__})", operation=operation
        )
    if isinstance(exc, MlflowException):
        kind = _BY_CODE.get(str(exc.error_code), TrackingError)
        return kind(exc.message, operation=operation)
    return TrackingError(f"{type(exc).__name__}: {exc}", operation=operation)


@contextmanager
def translating(operation: str) -> Iterator[None]:
    """Re-raise MLflow and transport failures inside the block as ``TrackingError``."""
    try:
        yield
    except (MlflowException, requests.exceptions.RequestException) as exc:
        raise translated(exc, operation) from exc
