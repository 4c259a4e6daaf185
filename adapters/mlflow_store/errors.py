"""The one place where MLflow and HTTP exceptions become ``TrackingError`` subclasses.

The decision reads the exception's type and MLflow ``error_code``. The one exception:
when MLflow's HTTP client has used up its own retries on a 429 or 5xx answer, urllib3 keeps
the status only in the text of its ``ResponseError`` ("too many 503 error responses").

Failures below MLflow's own error handling (the SQL store's engine, the file system) are
translated here too: a locked database is ``TrackingUnavailableError`` (worth repeating);
any other ``sqlalchemy`` error and any ``OSError`` is ``TrackingStoreError`` (the store
cannot be used as configured). So ``except TrackingError`` catches every store failure.

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
import sqlalchemy.exc
import urllib3.exceptions
from mlflow.exceptions import MlflowException

from trackwright.adapters.mlflow_store.http_retries import inside_trackwright_call
from trackwright.domain.error_codes import error_for_code
from trackwright.domain.errors import (
    TrackingError,
    TrackingRateLimitedError,
    TrackingStoreError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)
from trackwright.domain.uris import redacted_text

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
        kind = error_for_code(exc.error_code)
        return kind(redacted_text(str(exc.message)), operation=operation)
    if isinstance(exc, sqlalchemy.exc.SQLAlchemyError | OSError):
        return _store_error(exc, operation)
    return TrackingError(redacted_text(f"{type(exc).__name__}: {exc}"), operation=operation)


def _store_error(exc: BaseException, operation: str) -> TrackingError:
    """A database or file-system failure under MLflow, as one line a person can act on."""
    original = getattr(exc, "orig", None) or exc
    text = redacted_text(str(original).splitlines()[0] if str(original) else type(exc).__name__)
    if "database is locked" in text:
        return TrackingUnavailableError(f"the database is busy: {text}", operation=operation)
    if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
        text = f"the database cannot be used: {text}"
    return TrackingStoreError(text, operation=operation)


@contextmanager
def translating(operation: str) -> Iterator[None]:
    """Re-raise MLflow and transport failures inside the block as ``TrackingError``.

    Every call of the MLflow adapter runs in this block, so it is also where MLflow's own
    HTTP retries are turned off for trackwright's calls (``http_retries``).

    The cause is chained (``raise ... from``) unless its text holds credentials of a
    tracking URI: then only the redacted translation is raised, so no traceback or
    ``logger.exception`` shows a password.
    """
    try:
        with inside_trackwright_call():
            yield
    except (MlflowException, sqlalchemy.exc.SQLAlchemyError, OSError) as exc:
        error = translated(exc, operation)
        if any(redacted_text(str(e)) != str(e) for e in _chain(exc)):
            raise error from None
        raise error from exc
