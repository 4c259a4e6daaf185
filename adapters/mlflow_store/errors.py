"""The one place where MLflow and HTTP exceptions become ``TrackingError`` subclasses.

The decision reads the exception's type and MLflow ``error_code``. The one exception:
when MLflow's HTTP client has used up its own retries on a 429 or 5xx answer, urllib3 keeps
the status only in the text of its ``ResponseError`` ("too many 503 error responses").

Transport failures are split by what the caller can know: a connection that was never
made (refused, connect timeout) is ``TrackingUnavailableError`` (nothing was applied); a
request sent without an answer (read timeout, connection dropped) is
``TrackingTimeoutError`` (outcome unknown).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import urllib3.exceptions
from mlflow.exceptions import MlflowException

from trackwright.domain.errors import (
    TrackingAlreadyExistsError,
    TrackingError,
    TrackingInvalidValueError,
    TrackingNotFoundError,
    TrackingRateLimitedError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)
from trackwright.domain.uris import redacted_text

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
_TRANSPORT_FAILURES = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.RetryError,
)
_NOT_CONNECTED = (requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError)
_STATUS_IN_RESPONSE_ERROR = re.compile(r"too many (\d{3}) error responses")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, its causes and contexts, and the reasons urllib3 wraps in ``MaxRetryError``."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested = [current.__cause__, current.__context__, *current.args]
        if isinstance(current, urllib3.exceptions.MaxRetryError):
            nested.append(current.reason)
        todo.extend(e for e in nested if isinstance(e, BaseException))


def _transport_failure(exc: BaseException) -> BaseException | None:
    return next((e for e in _chain(exc) if isinstance(e, _TRANSPORT_FAILURES)), None)


def _transport_error(exc: BaseException, operation: str) -> TrackingUnavailableError:
    chain = list(_chain(exc))
    statuses = [
        int(m.group(1))
        for e in chain
        if isinstance(e, urllib3.exceptions.ResponseError)
        and (m := _STATUS_IN_RESPONSE_ERROR.search(str(e)))
    ]
    if statuses:
        kind = TrackingRateLimitedError if 429 in statuses else TrackingUnavailableError
        return kind(f"tracking server answered HTTP {statuses[0]}", operation=operation)
    if any(isinstance(e, _NOT_CONNECTED) for e in chain):
        return TrackingUnavailableError(
            "tracking server unreachable (no connection was made)", operation=operation
        )
    return TrackingTimeoutError(
        "no answer from the tracking server (the request may or may not have been applied)",
        operation=operation,
    )


def translated(exc: Exception, operation: str) -> TrackingError:
    """The ``TrackingError`` subclass for an exception raised by MLflow or its transport."""
    if _transport_failure(exc) is not None:
        return _transport_error(exc, operation)
    if isinstance(exc, MlflowException):
        kind = _BY_CODE.get(str(exc.error_code), TrackingError)
        return kind(redacted_text(str(exc.message)), operation=operation)
    return TrackingError(redacted_text(f"{type(exc).__name__}: {exc}"), operation=operation)


@contextmanager
def translating(operation: str) -> Iterator[None]:
    """Re-raise MLflow and transport failures inside the block as ``TrackingError``.

    The cause is chained (``raise ... from``) unless its text holds credentials of a
    tracking URI: then only the redacted translation is raised, so no traceback or
    ``logger.exception`` shows a password.
    """
    try:
        yield
    except (MlflowException, requests.exceptions.RequestException) as exc:
        error = translated(exc, operation)
        if any(redacted_text(str(e)) != str(e) for e in _chain(exc)):
            raise error from None
        raise error from exc
