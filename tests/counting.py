"""A pass-through TrackingPort that records each call: round trips on any backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.ports import TrackingPort


class CountingTracking:
    """Wraps a backend and appends each port method name to ``calls``."""

    def __init__(self, inner: TrackingPort) -> None:
        self._inner = inner
        self.calls: list[str] = []

    @property
    def tracking_uri(self) -> str:
        return self._inner.tracking_uri

    def __getattr__(self, name: str) -> Callable[..., Any]:
        target = getattr(self._inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return target(*args, **kwargs)

        return counted
