"""Faults the in-memory fake can inject, so callers can test their retry paths.

Every ``InMemoryTracking`` has a ``faults`` attribute (a ``FaultInjector``). Plan faults on
it; each planned fault is used up by the next port call it applies to::

    fake.faults.fail_next(2)                                # two calls answer "unavailable"
    fake.faults.rate_limit_next(1, operations={"log_batch"})  # one 429-like refusal
    fake.faults.time_out_after_commit(1, operations={"create_run"})  # write, then time out

Kinds of fault:

- ``unavailable``: the call is refused before anything is written
  (``TrackingUnavailableError``, like a 503 or a refused connection).
- ``rate_limited``: the call is refused before anything is written
  (``TrackingRateLimitedError``, like a 429).
- ``timeout_before_commit``: the request is lost on its way; nothing is written, but the
  caller only sees ``TrackingTimeoutError`` (outcome unknown).
- ``timeout_after_commit``: the write happens, then the caller sees ``TrackingTimeoutError``
  (the answer was lost on its way back).

Faults apply in the order they were planned. A call that fails by itself (say, not found)
still uses up a ``timeout_after_commit`` planned for it, without the timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

from trackwright.domain.errors import (
    TrackingError,
    TrackingRateLimitedError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)

FaultKind = Literal["unavailable", "rate_limited", "timeout_before_commit", "timeout_after_commit"]

_MESSAGES: dict[FaultKind, tuple[type[TrackingError], str]] = {
    "unavailable": (TrackingUnavailableError, "injected fault: service unavailable (503)"),
    "rate_limited": (TrackingRateLimitedError, "injected fault: too many requests (429)"),
    "timeout_before_commit": (
        TrackingTimeoutError,
        "injected fault: no answer (the request was lost; nothing was written)",
    ),
    "timeout_after_commit": (
        TrackingTimeoutError,
        "injected fault: no answer (the write was applied; the answer was lost)",
    ),
}


@dataclass
class _Fault:
    kind: FaultKind
    remaining: int
    operations: frozenset[str] | None

    def applies_to(self, operation: str) -> bool:
        return self.remaining > 0 and (self.operations is None or operation in self.operations)


class FaultInjector:
    """Planned faults of one fake, used up call by call (thread-safe).

    Attributes:
        injected: How many faults have fired so far, by kind.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._planned: list[_Fault] = []
        self._pending: TrackingError | None = None
        self.injected: dict[FaultKind, int] = dict.fromkeys(_MESSAGES, 0)

    def plan(
        self, kind: FaultKind, times: int = 1, *, operations: Iterable[str] | None = None
    ) -> None:
        """Make the next ``times`` calls (of ``operations``, default all) fail as ``kind``."""
        if times < 1:
            raise ValueError(f"times must be at least 1, not {times}")
        chosen = frozenset(operations) if operations is not None else None
        with self._lock:
            self._planned.append(_Fault(kind, times, chosen))

    def fail_next(self, times: int = 1, *, operations: Iterable[str] | None = None) -> None:
        """Refuse the next calls as unavailable, before anything is written."""
        self.plan("unavailable", times, operations=operations)

    def rate_limit_next(self, times: int = 1, *, operations: Iterable[str] | None = None) -> None:
        """Refuse the next calls as rate-limited (429-like), before anything is written."""
        self.plan("rate_limited", times, operations=operations)

    def time_out_before_commit(
        self, times: int = 1, *, operations: Iterable[str] | None = None
    ) -> None:
        """Lose the next requests: nothing is written, the caller sees a timeout."""
        self.plan("timeout_before_commit", times, operations=operations)

    def time_out_after_commit(
        self, times: int = 1, *, operations: Iterable[str] | None = None
    ) -> None:
        """Apply the next writes, then lose their answers: the caller sees a timeout."""
        self.plan("timeout_after_commit", times, operations=operations)

    def clear(self) -> None:
        """Drop every planned fault."""
        with self._lock:
            self._planned.clear()
            self._pending = None

    @property
    def remaining(self) -> int:
        """How many planned faults have not fired yet."""
        with self._lock:
            return sum(f.remaining for f in self._planned)

    def before_call(self, operation: str) -> None:
        """Raise the fault due for this call, or remember it when it fires after the write."""
        with self._lock:
            fault = next((f for f in self._planned if f.applies_to(operation)), None)
            if fault is None:
                return
            fault.remaining -= 1
            self._planned = [f for f in self._planned if f.remaining > 0]
            self.injected[fault.kind] += 1
            kind, message = _MESSAGES[fault.kind]
            error = kind(message, operation=operation)
            if fault.kind != "timeout_after_commit":
                raise error
            self._pending = error

    def after_call(self, succeeded: bool) -> None:
        """Raise the "timeout after commit" remembered for the call that just ended."""
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None and succeeded:
            raise pending


class FaultingLock:
    """The fake's re-entrant lock; leaving its outermost hold fires a pending fault.

    Every fake method holds this lock for its whole write, so "timeout after commit"
    is raised exactly when the write has been applied and the lock is released.
    """

    def __init__(self, faults: FaultInjector) -> None:
        self._lock = threading.RLock()
        self._faults = faults
        self._depth = 0

    def __enter__(self) -> FaultingLock:
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                self._faults.after_call(succeeded=exc_type is None)
        finally:
            self._lock.release()
