"""``InMemoryVersionCounter``: run-name versions for tests and the in-memory container."""

from __future__ import annotations

import threading
from collections import OrderedDict


class InMemoryVersionCounter:
    """See ``VersionCounterPort``; thread-safe, bounded like the file counter."""

    def __init__(self, max_keys: int = 1000) -> None:
        self.max_keys = max_keys
        self._last: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def next_version(self, counter_key: str) -> int:
        """See ``VersionCounterPort.next_version``."""
        with self._lock:
            version = self._last.pop(counter_key, 0) + 1
            self._last[counter_key] = version
            while len(self._last) > self.max_keys:
                self._last.popitem(last=False)
            return version
