"""``FileVersionCounter``: run-name versions in a JSON file, allocated under a file lock.

Allocation is one locked read-modify-write: there is no reserve/commit pair to leave
half done (the original's trial and refit reservations were never committed, W-18). The
file keeps at most ``max_keys`` keys, the least recently used going first, so it does
not grow forever (W-21). A corrupt file is moved aside and restarted, with a WARNING.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trackwright.adapters.run_index.locked_file import LockedFile

DEFAULT_MAX_KEYS = 1000


def default_counter_path() -> Path:
    """``.trackwright/run_name_counter.json`` under the current folder."""
    return Path.cwd() / ".trackwright" / "run_name_counter.json"


class FileVersionCounter:
    """See ``VersionCounterPort``; safe across processes."""

    def __init__(
        self, path: str | Path, max_keys: int = DEFAULT_MAX_KEYS, lock_timeout: float = 10.0
    ) -> None:
        self._file = LockedFile(path, lock_timeout)
        self.max_keys = max_keys

    def next_version(self, counter_key: str) -> int:
        """See ``VersionCounterPort.next_version``."""
        with self._file.locked():
            counters = self._read()
            version = int(counters.get(counter_key, {}).get("last", 0)) + 1
            counters[counter_key] = {"last": version, "used_at": datetime.now(UTC).isoformat()}
            self._file.write_text(json.dumps(self._bounded(counters), indent=2, sort_keys=True))
        return version

    def _read(self) -> dict[str, Any]:
        try:
            text = self._file.read_text()
            counters = json.loads(text) if text else {}
            if not isinstance(counters, dict):
                raise ValueError("the counter file does not hold a mapping")
            return counters
        except (ValueError, UnicodeDecodeError) as exc:
            self._file.move_aside(str(exc))
            return {}

    def _bounded(self, counters: dict[str, Any]) -> dict[str, Any]:
        if len(counters) <= self.max_keys:
            return counters
        newest = sorted(
            counters.items(), key=lambda kv: str(kv[1].get("used_at", "")), reverse=True
        )
        return dict(newest[: self.max_keys])
