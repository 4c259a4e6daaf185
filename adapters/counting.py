"""``CountingTracking``: a pass-through that records every call, to measure round trips.

It wraps any object (a ``TrackingPort`` backend, or an ``MlflowClient``) and appends each
method name to ``calls`` before delegating, so the same instrument counts trackwright's
calls and raw-client calls alike.
"""

from __future__ import annotations

from typing import Any


class CountingTracking:
    """Delegates every attribute to ``inner``; method calls are recorded in ``calls``."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls: list[str] = []

    @property
    def tracking_uri(self) -> str:
        """The wrapped backend's tracking URI."""
        return str(self._inner.tracking_uri)

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if not callable(target):
            return target

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return target(*args, **kwargs)

        return counted


__all__ = ["CountingTracking"]
