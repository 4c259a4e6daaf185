"""The retry policy: how often, how long to wait, and which failures are worth repeating.

Only the ``TrackingUnavailableError`` family is repeated (unavailable, rate-limited, timed
out). Every other error is an answer, and is raised at once. Past the last attempt the
caller gets ``TrackingRetriesExhaustedError``, naming the operation, raised from the last
failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from trackwright.domain.errors import (
    TrackingRetriesExhaustedError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")


def is_transient(error: BaseException) -> bool:
    """Whether repeating the call may help: the backend was unreachable, busy or silent."""
    return isinstance(error, TrackingUnavailableError)


def was_not_applied(error: BaseException) -> bool:
    """Whether the failure says the request was refused before it was applied.

    A timeout means "outcome unknown", so it is not such a failure.
    """
    return is_transient(error) and not isinstance(error, TrackingTimeoutError)


@dataclass(frozen=True)
class RetryPolicy:
    """Stop after ``attempts``; wait ``initial_wait * 2**n``, at most ``max_wait``, plus jitter.

    The jitter is uniform in ``[0, initial_wait]``, so zero waits mean no waiting at all.

    Attributes:
        attempts: Attempts in all, the first included (1 means no retry).
        initial_wait: Seconds before the second attempt (0 for no waiting, e.g. in tests).
        max_wait: Longest wait between two attempts, in seconds.
        sleep: How to wait (``time.sleep``; tests may pass a recorder).
    """

    attempts: int = 5
    initial_wait: float = 0.2
    max_wait: float = 5.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, not {self.attempts}")
        if self.initial_wait < 0 or self.max_wait < 0:
            raise ValueError("waits must not be negative")

    def call(
        self,
        operation: str,
        attempt: Callable[[int], T],
        retry_when: Callable[[BaseException], bool] = is_transient,
        *,
        reraise_last: bool = False,
    ) -> T:
        """``attempt(n)`` for n = 1, 2, ... until it returns or may not be repeated.

        With ``reraise_last`` the last attempt's own exception is raised when every
        attempt failed (the seed ``retry_with_backoff`` contract) instead of
        ``TrackingRetriesExhaustedError``.

        Raises:
            TrackingRetriesExhaustedError: Every attempt failed with a repeatable error.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.initial_wait, max=self.max_wait)
            + wait_random(0, self.initial_wait),
            retry=retry_if_exception(retry_when),
            sleep=self.sleep,
            before_sleep=_log_retry(operation),
        )
        try:
            for state in retrying:
                with state:
                    return attempt(state.retry_state.attempt_number)
        except RetryError as exhausted:
            last = exhausted.last_attempt.exception()
            if reraise_last and last is not None:
                raise last from None
            raise _exhausted(operation, exhausted) from last
        raise AssertionError("tenacity ended without an outcome")  # pragma: no cover


def _exhausted(operation: str, exhausted: RetryError) -> TrackingRetriesExhaustedError:
    attempts = exhausted.last_attempt.attempt_number
    last = exhausted.last_attempt.exception()
    return TrackingRetriesExhaustedError(
        f"gave up after {attempts} attempt(s); last failure: {type(last).__name__}: {last}",
        operation=operation,
        attempts=attempts,
    )


def _log_retry(operation: str) -> Callable[[RetryCallState], None]:
    def log(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        logger.warning(
            "%s failed on attempt %d (%s: %s); retrying in %.2f s",
            operation,
            state.attempt_number,
            type(error).__name__,
            error,
            wait,
        )

    return log
