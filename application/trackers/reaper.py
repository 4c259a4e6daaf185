"""The reaper: ends the runs of expired leases, and only those.

For each RUNNING lease run whose heartbeat is older than its grace period (or ended while
its runs were left open), every RUNNING run bound to that lease is re-read right before it
is ended, and ended only if it is still RUNNING under that same lease: a status written
meanwhile (the owner finished after all, or another worker took the run over) wins. Each
abandoned run gets ``code.interrupted=true`` and ``code.trial.state=interrupted`` in one
batch, then KILLED. If the backend fails between the two, the run stays RUNNING under an
expired lease and the next check finishes the job: runs converge, never half-ended.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from trackwright.application.use_cases.lifecycle import end_with
from trackwright.domain.distributed.leases import (
    LEASE_RUN_TYPE,
    LeaseSettings,
    LeaseTags,
    lease_expired,
)
from trackwright.domain.distributed.outcomes import RunOutcome, interrupted_tags
from trackwright.domain.errors import TrackingNotFoundError
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run, RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

logger = logging.getLogger(__name__)
_RUNNING = frozenset({RunStatus.RUNNING})


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class LeaseReaper:
    """Finds expired leases in experiments and ends the runs bound to them."""

    def __init__(
        self, tracking: TrackingPort, registry: TagKeyRegistry, settings: LeaseSettings
    ) -> None:
        self._tracking = tracking
        self._tags = LeaseTags(registry)
        self._interrupted = RunOutcome(RunStatus.KILLED, interrupted_tags(registry))
        self._grace = settings.grace_period

    def reap(self, experiment_ids: Sequence[str], own: str | None = None) -> list[str]:
        """End every run of an expired lease in these experiments; returns their ids.

        One search when no lease has expired. ``own`` (this worker's lease run) is skipped.
        """
        return self.scan(experiment_ids, own)[0]

    def scan(self, experiment_ids: Sequence[str], own: str | None = None) -> tuple[list[str], int]:
        """``reap``, also counting the other workers' RUNNING lease runs the search saw.

        The count includes expired leases (reaped now): a sweep creator that sees none
        knows no other worker was there when its sweep run already existed.
        """
        query = RunQuery(
            experiment_ids=tuple(experiment_ids),
            tags={self._tags.run_type: LEASE_RUN_TYPE},
            statuses=_RUNNING,
        )
        ended: list[str] = []
        others = [r for r in self._tracking.search_runs(query).runs if r.run_id != own]
        for lease in others:
            if self.expired(lease):
                ended += self.reap_lease(lease.run_id, experiment_ids)
        return ended, len(others)

    def expired(self, lease: Run | None) -> bool:
        """Whether this lease run's worker is gone (see ``domain.distributed.leases``)."""
        return lease_expired(lease, self._tags, _now_ms(), self._grace)

    def lease(self, lease_run_id: str) -> Run | None:
        """The lease run as it is now (None if it no longer exists)."""
        try:
            return self._tracking.get_run(lease_run_id)
        except TrackingNotFoundError:
            return None

    def reap_lease(self, lease_run_id: str, experiment_ids: Sequence[str]) -> list[str]:
        """End the runs of one lease after re-reading it; then delete the lease run itself."""
        lease = self.lease(lease_run_id)
        if not self.expired(lease):
            return []  # a heartbeat arrived since the search
        query = RunQuery(
            experiment_ids=tuple(experiment_ids),
            tags={self._tags.lease_run_id: lease_run_id},
            statuses=_RUNNING,
        )
        ended = [
            run.run_id
            for run in self._tracking.search_runs(query).runs
            if self.end_abandoned(run.run_id, lease_run_id)
        ]
        if lease is not None and lease.status is RunStatus.RUNNING:
            self._tracking.delete_run(lease_run_id)  # bookkeeping: deleted reads as expired
        if ended:
            logger.warning("ended %d run(s) of expired lease %s", len(ended), lease_run_id)
        return ended

    def end_abandoned(self, run_id: str, lease_run_id: str) -> bool:
        """Re-read the run; end it KILLED and tagged only if still RUNNING under that lease."""
        current = self._tracking.get_run(run_id)
        if current.status is not RunStatus.RUNNING:
            return False
        if current.tags.get(self._tags.lease_run_id) != lease_run_id:
            return False
        end_with(self._tracking, run_id, self._interrupted)
        return True

    def end_run_of_dead_worker(self, run_id: str) -> list[str]:
        """End a run (and its RUNNING children) whose worker another system saw die.

        For an HPO engine that detects dead workers itself (Optuna's RDB heartbeat): each
        run is still re-read and ended only if RUNNING under the lease it was opened with.
        """
        run = self._tracking.get_run(run_id)
        lease = run.tags.get(self._tags.lease_run_id, "")
        query = RunQuery(
            experiment_ids=(run.experiment_id,), parent_run_id=run_id, statuses=_RUNNING
        )
        children = [c.run_id for c in self._tracking.search_runs(query).runs]
        return [r for r in (*children, run_id) if lease and self.end_abandoned(r, lease)]
