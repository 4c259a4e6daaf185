"""retry_with_backoff decides by exception type and error code, never by message words."""

from __future__ import annotations

import pytest

from trackwright.application.seed.retries import is_retryable, retry_with_backoff
from trackwright.domain.errors import (
    TrackingInvalidValueError,
    TrackingRateLimitedError,
    TrackingUnavailableError,
)


class CodedError(Exception):
    def __init__(self, error_code: str) -> None:
        super().__init__("some message")
        self.error_code = error_code


def flaky(failures: list[BaseException]) -> tuple[list[int], object]:
    calls: list[int] = []

    def call() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "ok"

    return calls, call


def test_temporary_failures_are_retried_until_success() -> None:
    calls, call = flaky([TrackingUnavailableError("503"), TrackingRateLimitedError("429")])
    assert retry_with_backoff(call, max_retries=5, base_delay=0) == "ok"  # type: ignore[arg-type]
    assert len(calls) == 3


def test_max_retries_is_the_total_number_of_attempts() -> None:
    failures = [TrackingUnavailableError(f"down {i}") for i in range(9)]
    calls, call = flaky(list(failures))
    with pytest.raises(TrackingUnavailableError) as info:
        retry_with_backoff(call, max_retries=3, base_delay=0)  # type: ignore[arg-type]
    assert len(calls) == 3
    assert info.value is failures[2]  # the last attempt's own error, unchanged


def test_other_errors_are_raised_at_once_whatever_their_words() -> None:
    error = ValueError("connection timeout 503 temporary rate limit")
    calls, call = flaky([error])
    with pytest.raises(ValueError) as info:
        retry_with_backoff(call, base_delay=0)  # type: ignore[arg-type]
    assert info.value is error and len(calls) == 1


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (CodedError("TEMPORARILY_UNAVAILABLE"), True),
        (CodedError("REQUEST_LIMIT_EXCEEDED"), True),
        (CodedError("INVALID_PARAMETER_VALUE"), False),
        (ConnectionResetError(), True),
        (TimeoutError(), True),
        (TrackingInvalidValueError("x"), False),
        (RuntimeError("503"), False),
    ],
)
def test_retryable_is_decided_by_type_and_error_code(error: BaseException, expected: bool) -> None:
    assert is_retryable(error) is expected


def test_requests_transport_errors_are_retryable() -> None:
    import requests

    assert is_retryable(requests.exceptions.ConnectionError("refused"))
    assert not is_retryable(requests.exceptions.HTTPError("400"))
