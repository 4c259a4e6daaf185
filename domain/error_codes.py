"""MLflow's ``error_code`` strings and the ``TrackingError`` each one means: the one table.

The MLflow adapter translates exceptions with it; ``retry_with_backoff`` reads it to judge
an untranslated ``MlflowException`` raised by a caller's own function; the seed hash
readers read "does not exist" from it. A code not listed is a plain ``TrackingError``.
"""

from __future__ import annotations

from trackwright.domain.errors import (
    TrackingAlreadyExistsError,
    TrackingError,
    TrackingInvalidValueError,
    TrackingNotFoundError,
    TrackingRateLimitedError,
    TrackingUnavailableError,
)

ERROR_CODES: dict[str, type[TrackingError]] = {
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


def error_for_code(code: object) -> type[TrackingError]:
    """The error class an MLflow ``error_code`` stands for (``TrackingError`` if unknown)."""
    return ERROR_CODES.get(str(code), TrackingError)


def means_not_found(code: object) -> bool:
    """Whether the code says the experiment or run does not exist."""
    return issubclass(error_for_code(code), TrackingNotFoundError)


def means_try_later(code: object) -> bool:
    """Whether the code says "temporarily unavailable or busy": repeating may help."""
    return issubclass(error_for_code(code), TrackingUnavailableError)
