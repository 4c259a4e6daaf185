"""Joining the one sweep of a study: convergence, the children read, membership.

``SweepJoin.open`` finds or creates the sweep run (docs/distributed-sweeps.md):
1. one search for active sweep runs with the study's run key; if any, attach to the winner
   (nothing written: re-running a finished sweep writes nothing);
2. otherwise hold the worker's lease (its lease run exists from now on), search again, and
   create the sweep run with this worker already listed as a member;
3. one search of the experiment's RUNNING lease runs (it is also the lease check): if no
   other worker holds a lease, no other worker can have missed this sweep run, and it is
   kept at once. Otherwise wait the settle window, search the sweeps again, and keep the
   winner; a creator whose run lost deletes it and attaches to the winner;
4. attaching to a run that existed reads its children (trials and refit) in one paged
   search, so no trial or refit needs a lookup of its own.

``SweepMembership`` records which workers are in the sweep: a worker joins (tag
``code.sweep.worker.<worker id>`` = its lease run id) before its first unfinished trial,
and leaves (the tag becomes ``left``) when its last sweep scope ends. The worker that leaves
last — no other member's lease alive — ends the sweep by the final-status rule.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Mapping

from trackwright.application.trackers.lease import WorkerLease
from trackwright.application.trackers.stage_runs import StageRun, StageRuns
from trackwright.application.use_cases.lifecycle import end_with
from trackwright.domain.distributed.convergence import winner
from trackwright.domain.distributed.outcomes import outcome_of
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.identity import run_key, run_key_hash
from trackwright.domain.model import Run, RunStatus
from trackwright.domain.stage_context import StageContext

logger = logging.getLogger(__name__)
LEFT = "left"


class SweepJoin:
    """Finds or creates the one sweep run of a study key (no coordinator)."""

    def __init__(self, stages: StageRuns, settle_seconds: float) -> None:
        self._stages, self._settle = stages, settle_seconds
        self._key_tag = stages.registry.key("grouping", "run_key_hash")

    def open(self, ctx: StageContext, experiment_id: str) -> tuple[StageRun, dict[str, Run], bool]:
        """The sweep run, its children by run-key hash, and whether this worker is a member.

        Children are empty for a sweep just made. A member (True) created the sweep run
        listed in it and holds its lease for it: ``SweepMembership.adopt`` takes that hold.
        """
        key_hash = run_key_hash(run_key(ctx.kind, ctx))
        found = winner(self._sweeps(experiment_id, key_hash))
        if found is not None:
            return (*self._attach(found), False)
        lease = self._stages.lease
        with lease.convergence_lock:  # threads of one worker: one creator, the rest attach
            lease.hold(experiment_id, check=False)
            try:
                created = self._create(ctx, experiment_id, key_hash)
            except BaseException:
                lease.release()
                raise
        if created is not None:
            return StageRun(created), {}, True
        lease.release()  # another worker's sweep run won: this worker joins it later
        found = winner(self._sweeps(experiment_id, key_hash))
        if found is None:  # the winner was deleted meanwhile: start over
            return self.open(ctx, experiment_id)
        return (*self._attach(found), False)

    def _create(self, ctx: StageContext, experiment_id: str, key_hash: str) -> Run | None:
        """Create the sweep run and keep it, or None when another one wins."""
        lease = self._stages.lease
        if winner(self._sweeps(experiment_id, key_hash)) is not None:
            return None  # created since the first search
        member = {lease.tags.member_key(lease.worker_id): str(lease.run_in(experiment_id))}
        mine = self._stages.create_shared(ctx, experiment_id, member)
        if lease.check_experiment(experiment_id) == 0:
            return mine  # no other worker holds a lease: everyone else will find this run
        time.sleep(self._settle)
        best = winner([*self._sweeps(experiment_id, key_hash), mine]) or mine
        if best.run_id == mine.run_id:
            return mine
        logger.info("sweep run %s lost to %s; deleting it", mine.run_id, best.run_id)
        self._stages.tracking.delete_run(mine.run_id)
        return None

    def _sweeps(self, experiment_id: str, key_hash: str) -> tuple[Run, ...]:
        query = RunQuery(experiment_ids=(experiment_id,), tags={self._key_tag: key_hash})
        return self._stages.tracking.search_runs(query).runs

    def _attach(self, sweep: Run) -> tuple[StageRun, dict[str, Run]]:
        completed = sweep.status is RunStatus.FINISHED
        return StageRun(sweep, resumed=True, completed=completed), self.children(sweep)

    def children(self, parent: Run) -> dict[str, Run]:
        """The active children of ``parent`` by run-key hash (one paged search)."""
        query = RunQuery(experiment_ids=(parent.experiment_id,), parent_run_id=parent.run_id)
        runs = self._stages.tracking.search_runs(query).runs
        return {r.tags[self._key_tag]: r for r in reversed(runs) if self._key_tag in r.tags}


class SweepMembership:
    """This process's memberships of shared sweeps (one per sweep, counted by scopes)."""

    def __init__(self, stages: StageRuns) -> None:
        self._stages, self._lease = stages, stages.lease
        self._counts: Counter[str] = Counter()
        self._lock = threading.RLock()

    def adopt(self, sweep: Run) -> None:
        """Count one scope in a sweep this worker created as a member (its hold taken)."""
        with self._lock:
            self._counts[sweep.run_id] += 1

    def join(self, sweep: Run) -> None:
        """Count one more scope in ``sweep``; the first joins it and reopens it if ended.

        A RUNNING sweep that nobody alive is in (its members left or died, or it is older
        than the grace period and lists none) was interrupted: it is tagged so.
        """
        with self._lock:
            if self._counts[sweep.run_id] == 0:
                self._lease.hold(sweep.experiment_id)
                try:
                    self._join(sweep)
                except BaseException:
                    self._lease.release()
                    raise
            self._counts[sweep.run_id] += 1

    def _join(self, sweep: Run) -> None:
        tracking, tags = self._stages.tracking, self._lease.tags
        current = tracking.get_run(sweep.run_id)
        alive, dead = self._members(current.tags)
        lease = str(self._lease.run_in(sweep.experiment_id))
        batch = {tags.member_key(self._lease.worker_id): lease}
        batch.update(dict.fromkeys(dead, LEFT))  # dead members will never say so themselves
        if current.status is RunStatus.RUNNING and self._orphaned(current, alive, dead):
            batch[tags.interrupted] = "true"
        tracking.log_batch(sweep.run_id, tags=batch)
        if current.status is not RunStatus.RUNNING:
            tracking.set_terminated(sweep.run_id, RunStatus.RUNNING)

    def _members(self, sweep_tags: Mapping[str, str]) -> tuple[list[str], list[str]]:
        """Member tags of other workers still in the sweep: (alive, dead by lease)."""
        prefix = self._lease.tags.member_prefix + "."
        mine = self._lease.tags.member_key(self._lease.worker_id)
        reaper = self._lease.reaper
        alive: list[str] = []
        dead: list[str] = []
        for key, lease in sweep_tags.items():
            if key.startswith(prefix) and key != mine and lease != LEFT:
                (dead if reaper.expired(reaper.lease(lease)) else alive).append(key)
        return alive, dead

    def _orphaned(self, sweep: Run, alive: list[str], dead: list[str]) -> bool:
        """RUNNING with nobody alive in it: members all gone, or none for a grace period."""
        if alive:
            return False
        prefix = self._lease.tags.member_prefix + "."
        if dead or any(k.startswith(prefix) for k in sweep.tags):
            return True
        age_ms = time.time_ns() // 1_000_000 - sweep.start_time
        return age_ms > self._lease.settings.grace_period * 1000

    def leave(self, sweep: Run, exc: BaseException | None) -> None:
        """Count one scope less; the last scope leaves, and the last member ends the sweep."""
        with self._lock:
            self._counts[sweep.run_id] -= 1
            if self._counts[sweep.run_id] > 0:
                return
            del self._counts[sweep.run_id]
            try:
                self._leave(sweep, exc)
            finally:
                self._lease.release()

    def _leave(self, sweep: Run, exc: BaseException | None) -> None:
        tracking, tags = self._stages.tracking, self._lease.tags
        tracking.log_batch(sweep.run_id, tags={tags.member_key(self._lease.worker_id): LEFT})
        current = tracking.get_run(sweep.run_id)
        alive, dead = self._members(current.tags)
        if alive:
            logger.info("left sweep %s; other workers still run it", sweep.run_id)
            return
        if dead:  # their runs end first (nobody else was ever in: nothing to check)
            own = self._lease.run_in(sweep.experiment_id)
            self._lease.reaper.reap((sweep.experiment_id,), own=own)
        end_with(tracking, sweep.run_id, outcome_of(exc, self._stages.registry))


_MEMBERSHIPS: weakref.WeakKeyDictionary[WorkerLease, SweepMembership] = weakref.WeakKeyDictionary()
_MEMBERSHIPS_LOCK = threading.Lock()


def membership_of(stages: StageRuns) -> SweepMembership:
    """The memberships of the worker behind ``stages`` (one per lease, shared by trackers)."""
    with _MEMBERSHIPS_LOCK:
        found = _MEMBERSHIPS.get(stages.lease)
        if found is None:
            found = _MEMBERSHIPS[stages.lease] = SweepMembership(stages)
        return found
