"""The worker's lease: a lease run per experiment in use, one heartbeat request each per interval.

``WorkerLease.hold`` is called for every run the worker opens and ``release`` when it ends.
The first hold in an experiment creates the worker's lease run there (its first heartbeat
in the same request); the first hold at all starts a daemon heartbeat thread. The last
release stops and joins the thread, then deletes the lease runs (no RUNNING bookkeeping
run stays visible; a deleted lease reads as expired). The thread writes one tag per lease
run per interval whatever the number of open runs, and about twice per grace period asks
the reaper to end runs whose leases expired (one search per experiment when nobody is
dead).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from trackwright.application.trackers.reaper import LeaseReaper
from trackwright.domain.distributed.leases import LeaseSettings, LeaseTags
from trackwright.domain.errors import TrackingError
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    """``<host>-<pid>-<8 hex>``: unique per process, readable in the MLflow UI."""
    host = "".join(c if c.isalnum() or c in "-_" else "_" for c in socket.gethostname())
    return f"{host[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def now_ms() -> int:
    """Wall-clock milliseconds (heartbeats are compared across machines)."""
    return time.time_ns() // 1_000_000


class _Heartbeat(threading.Thread):
    """Beats every ``interval`` seconds and checks leases every ``check_every`` beats."""

    def __init__(
        self, beat: Callable[[], object], check: Callable[[], object], interval: float, every: int
    ) -> None:
        super().__init__(name="trackwright-heartbeat", daemon=True)
        self._beat, self._check, self._interval, self._every = beat, check, interval, every
        self._stopped = threading.Event()

    def run(self) -> None:
        ticks = 0
        while not self._stopped.wait(self._interval):
            ticks += 1
            self._safely(self._beat, "heartbeat")
            if ticks % self._every == 0:
                self._safely(self._check, "lease check")

    @staticmethod
    def _safely(action: Callable[[], object], what: str) -> None:
        try:
            action()
        except TrackingError as exc:  # the next tick tries again; runs expire if it never does
            logger.warning("%s failed: %s", what, exc)

    def stop(self) -> None:
        self._stopped.set()
        if self is not threading.current_thread():
            self.join()


class WorkerLease:
    """This process's lease: worker id, one lease run per experiment, heartbeats, reaper.

    A lease run lives in each experiment the worker opens runs in, so a lease check (which
    searches one experiment's lease runs) sees every worker that has runs there.
    """

    def __init__(
        self,
        tracking: TrackingPort,
        registry: TagKeyRegistry,
        settings: LeaseSettings | None = None,
        worker_id: str | None = None,
    ) -> None:
        self._tracking = tracking
        self.settings = settings or LeaseSettings()
        self.worker_id = worker_id or new_worker_id()
        self.tags = LeaseTags(registry)
        self.reaper = LeaseReaper(tracking, registry, self.settings)
        self._lock = threading.RLock()
        self._holds = 0
        self._runs: dict[str, str] = {}  # experiment id -> this worker's lease run there
        self._checked: set[str] = set()
        self._thread: _Heartbeat | None = None
        self.convergence_lock = threading.Lock()  # one sweep creation at a time per worker

    @property
    def lease_run_id(self) -> str | None:
        """The lease run of the first experiment held, while the worker holds runs."""
        with self._lock:
            return next(iter(self._runs.values()), None)

    def run_in(self, experiment_id: str) -> str | None:
        """The lease run in ``experiment_id`` while the worker holds runs there, else None."""
        with self._lock:
            return self._runs.get(experiment_id)

    def owns(self, lease_run_id: str) -> bool:
        """Whether ``lease_run_id`` is one of this worker's current lease runs."""
        with self._lock:
            return lease_run_id in self._runs.values()

    @property
    def heartbeat_running(self) -> bool:
        """Whether the heartbeat thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def hold(self, experiment_id: str, *, check: bool = True) -> dict[str, str]:
        """Count one more open run; returns the tags that bind it to this lease.

        The first hold in an experiment creates the lease run there and runs the lease
        check, unless ``check`` is false: the caller then calls ``check_experiment`` itself,
        at the moment it needs.
        """
        with self._lock:
            lease = self._runs.get(experiment_id) or self._create(experiment_id)
            if check and experiment_id not in self._checked:  # once per experiment, process
                self.check_experiment(experiment_id)
            self._holds += 1
            if self._thread is None:
                self._start_thread()
            return self.tags.owned(self.worker_id, lease)

    def check_experiment(self, experiment_id: str) -> int:
        """Run the lease check in one experiment now (one search when nobody is dead).

        Returns how many other workers' RUNNING lease runs the search saw.
        """
        with self._lock:
            self._checked.add(experiment_id)
            own = self._runs.get(experiment_id)
        return self.reaper.scan((experiment_id,), own=own)[1]

    def _create(self, experiment_id: str) -> str:
        tags = self.tags.lease_run(self.worker_id, self.settings, now_ms())
        run = self._tracking.create_run(experiment_id, f"lease-{self.worker_id}", tags)
        self._runs[experiment_id] = run.run_id
        logger.info("worker %s holds lease run %s", self.worker_id, run.run_id)
        return run.run_id

    def _start_thread(self) -> None:
        every = max(1, int(self.settings.grace_period / self.settings.heartbeat_interval / 2))
        self._thread = _Heartbeat(self.beat, self.check, self.settings.heartbeat_interval, every)
        self._thread.start()

    def beat(self) -> None:
        """Write one heartbeat per lease run (one request each; one experiment: one)."""
        with self._lock:
            leases = list(self._runs.values())
        for lease in leases:
            self._tracking.log_batch(lease, tags={self.tags.heartbeat: str(now_ms())})

    def check(self) -> list[str]:
        """End the runs of expired leases in the experiments this worker uses."""
        with self._lock:
            runs = sorted(self._runs.items())
        return [r for experiment, own in runs for r in self.reaper.reap((experiment,), own=own)]

    def release(self) -> None:
        """Count one run less; the last release stops the heartbeat and ends the lease runs."""
        with self._lock:
            self._holds -= 1
            if self._holds > 0:
                return
            thread, leases = self._thread, list(self._runs.values())
            self._thread, self._runs, self._holds = None, {}, 0
        if thread is not None:
            thread.stop()
        for lease in leases:
            self._end_lease_run(lease)

    def _end_lease_run(self, lease: str) -> None:
        """Delete the lease run: one request, and a deleted lease reads as expired."""
        try:
            self._tracking.delete_run(lease)
        except TrackingError as exc:  # it expires by itself; the reaper ends it later
            logger.warning("lease run %s not deleted: %s", lease, exc)
