"""Parent runs: a child is created only under a parent seen alive, and seen recently.

A parent given as a bare id costs one ``get_run``: missing or deleted, the child is
refused (``ParentRunNotFoundError``). To spare a ``get_run`` per child, ``KnownParents``
remembers ``run id → experiment id`` for parents seen alive, for a short time only:

- an entry is made when a ``get_run`` shows the parent alive, or when this process
  created the run itself; it is used for at most ``ttl`` seconds (default 10) after that,
  then the parent is read again; at most ``size`` entries are kept (least recent first out);
- ``forget(run_id)`` drops an entry at once (call it after deleting a run yourself:
  trackwright's own use cases never delete runs);
- a deletion by another client, or through the bare port, inside that window is not seen:
  children created in those seconds link to the deleted parent, as they would had they
  been created a moment before the deletion. After the window it is refused again.

A ``RunRef`` is the caller's own claim that the parent is alive (the trackers pass the
run they just opened) and costs nothing: it is not looked up.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from trackwright.domain.errors import ParentRunNotFoundError, TrackingNotFoundError
from trackwright.domain.model import LifecycleStage, RunRef, looks_like_run_id
from trackwright.domain.ports import TrackingPort

DEFAULT_TTL_SECONDS = 10.0
DEFAULT_SIZE = 1024


def parent_ref(tracking: TrackingPort, parent: RunRef | str) -> RunRef:
    """The parent as a run reference; a bare id costs one ``get_run``.

    Raises:
        ParentRunNotFoundError: No run has that id, or the run is deleted.
    """
    if isinstance(parent, RunRef):
        return parent
    if not looks_like_run_id(parent):
        raise ParentRunNotFoundError(f"parent run {parent!r} is not a run id")
    try:
        run = tracking.get_run(parent)
    except TrackingNotFoundError as exc:
        raise ParentRunNotFoundError(f"parent run {parent!r} does not exist") from exc
    if run.lifecycle_stage is LifecycleStage.DELETED:
        raise ParentRunNotFoundError(f"parent run {parent!r} is deleted; restore it first")
    return run.ref


class KnownParents:
    """Parents seen alive within the last ``ttl`` seconds (thread-safe, bounded)."""

    def __init__(
        self,
        tracking: TrackingPort,
        ttl: float = DEFAULT_TTL_SECONDS,
        size: int = DEFAULT_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tracking = tracking
        self._ttl, self._size, self._clock = ttl, size, clock
        self._seen: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def ref(self, parent: RunRef | str) -> RunRef:
        """The parent's reference: remembered if seen alive lately, else read (one call).

        Raises:
            ParentRunNotFoundError: The parent is missing or deleted (when read).
        """
        if isinstance(parent, RunRef):
            return parent
        with self._lock:
            entry = self._seen.get(parent)
        if entry is not None and self._clock() - entry[1] <= self._ttl:
            return RunRef(parent, entry[0])
        ref = parent_ref(self._tracking, parent)
        self.seen_alive(ref)
        return ref

    def seen_alive(self, run: RunRef) -> None:
        """Remember that ``run`` exists and is active now."""
        with self._lock:
            self._seen[run.run_id] = (run.experiment_id, self._clock())
            self._seen.move_to_end(run.run_id)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)

    def forget(self, run_id: str) -> None:
        """Drop what is remembered about ``run_id`` (it was deleted or moved)."""
        with self._lock:
            self._seen.pop(run_id, None)
