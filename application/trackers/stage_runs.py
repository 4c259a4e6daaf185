"""Runs opened by run key: find-or-create, take over an abandoned attempt, end by outcome.

Opening a stage run looks its run key up first (in runs already read, else the local index,
then the ``code.run_key_hash`` tag). A FINISHED run is reused as done (``completed``).
Every run the stages open or resume is bound to this worker's lease
(``trackers.lease.WorkerLease``). An existing run that is not FINISHED is taken over:

- FAILED or KILLED (an earlier attempt ended it): set RUNNING again under this lease;
- RUNNING under an expired lease: tagged ``code.interrupted``, resumed under this lease;
- RUNNING under a live lease of another worker: waited for (at most that lease's grace
  period plus one interval), then taken over if the lease expired;
- RUNNING without any lease (an older version or another tool made it): nothing says
  whether its writer is alive, so the reaper never ends it; opening its run key takes it
  over, tagged ``code.interrupted``.

Otherwise a new run is created with all its tags in one call and recorded in the index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from trackwright.application.trackers.lease import WorkerLease
from trackwright.application.trackers.takeover import take_over, wait_for_live_owner
from trackwright.application.use_cases.lifecycle import ended_by_outcome
from trackwright.application.use_cases.lineage_query import moved_links
from trackwright.application.use_cases.run_creation import RunCreation
from trackwright.domain.distributed.convergence import DEFAULT_PARAMS_DELAY, DEFAULT_SETTLE_SECONDS
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.lookup import FindRequest
from trackwright.domain.identity import run_key, run_key_hash
from trackwright.domain.model import Run, RunRef, RunStatus
from trackwright.domain.ports import TrackingPort, VersionCounterPort
from trackwright.domain.run_names import VERSIONED, build_run_name, counter_key
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.run_tags import RunTagBuilder

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StageRun:
    """A run opened by key.

    Attributes:
        run: The run as it was when opened.
        resumed: It existed before (an earlier attempt created it).
        completed: It had FINISHED before: the work is done and may be skipped.
    """

    run: Run
    resumed: bool = False
    completed: bool = False

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self.run.run_id

    @property
    def ref(self) -> RunRef:
        """The run as a reference (children of it need no lookup)."""
        return self.run.ref


class StageRuns:
    """Opens, resumes and ends the runs of a workflow's stages."""

    def __init__(
        self,
        tracking: TrackingPort,
        runs: RunCreation,
        finder: RunFinder,
        registry: TagKeyRegistry,
        azure_ml: bool = False,
        versions: VersionCounterPort | None = None,
        lease: WorkerLease | None = None,
    ) -> None:
        self._versions = versions
        self.lease = lease or WorkerLease(tracking, registry)
        self.sweep_settle_seconds = DEFAULT_SETTLE_SECONDS
        self.trial_params_delay = DEFAULT_PARAMS_DELAY
        self._tracking = tracking
        self._runs = runs
        self._finder = finder
        self._registry = registry
        self._builder = RunTagBuilder(registry, azure_ml)

    @property
    def tracking(self) -> TrackingPort:
        """The tracking backend the stages write to."""
        return self._tracking

    @property
    def registry(self) -> TagKeyRegistry:
        """The tag keys the stages write with."""
        return self._registry

    def open(
        self,
        ctx: StageContext,
        experiment_id: str,
        parent: RunRef | None = None,
        extra_tags: Mapping[str, object] | None = None,
        *,
        look_up: bool = True,
        known: Mapping[str, Run] | None = None,
    ) -> StageRun:
        """Find the run of ``ctx`` by its key, or create it (named by its template).

        ``known`` maps run-key hashes to runs already read (a sweep reads its children in
        one search): a key missing there is created without a lookup. ``look_up=False``
        skips the lookup: callers pass it for children of a run they have just created,
        which cannot have children from an earlier attempt yet.
        """
        key_hash = run_key_hash(run_key(ctx.kind, ctx))
        tags = {**self._builder.tags(ctx, key_hash), **dict(extra_tags or {})}
        existing = self._existing(key_hash, experiment_id, known, look_up)
        if existing is not None:
            parent_id = parent.run_id if parent is not None else None
            moved = moved_links(existing, tags, self._registry, parent_id)
            if not moved:
                return self._resume(existing)
            logger.warning(
                "run %s is not resumed: its %s link elsewhere now; a new run is made",
                existing.run_id,
                ", ".join(moved),
            )
        name = self._name(ctx)
        tags.update(self.lease.hold(experiment_id))
        try:
            run = self._create(ctx, experiment_id, parent, name, tags)
        except BaseException:
            self.lease.release()
            raise
        if look_up and known is None:  # runs looked up by key are worth indexing
            self._finder.remember(key_hash, run.ref)
        return StageRun(run)

    def create_shared(
        self, ctx: StageContext, experiment_id: str, extra_tags: Mapping[str, str]
    ) -> Run:
        """Create the run of ``ctx`` bound to no lease (a sweep: its members keep it)."""
        key_hash = run_key_hash(run_key(ctx.kind, ctx))
        tags = {**self._builder.tags(ctx, key_hash), **extra_tags}
        return self._runs.create_in_experiment(experiment_id, self._name(ctx), tags=tags)

    def _existing(
        self, key_hash: str, experiment_id: str, known: Mapping[str, Run] | None, look_up: bool
    ) -> Run | None:
        if known is not None:
            return known.get(key_hash)
        if not look_up:
            return None
        report = self._finder.find(FindRequest(experiment_id, run_key_hash=key_hash))
        if report.found and report.run_id:
            return report.run or self._tracking.get_run(report.run_id)
        return None

    def _create(
        self,
        ctx: StageContext,
        experiment_id: str,
        parent: RunRef | None,
        name: str,
        tags: dict[str, object],
    ) -> Run:
        if parent is not None:
            return self._runs.create_child(
                parent, name, trial_number=ctx.trial_number, fold_idx=ctx.fold_idx, tags=tags
            )
        return self._runs.create_in_experiment(experiment_id, name, tags=tags)

    def _name(self, ctx: StageContext) -> str:
        """The template name; with a version counter, ``_N`` for kinds that take one."""
        base = build_run_name(ctx)
        if self._versions is None or ctx.kind not in VERSIONED:
            return base
        key = counter_key(ctx, base, self._tracking.tracking_uri)
        return build_run_name(ctx, self._versions.next_version(key))

    def _resume(self, run: Run) -> StageRun:
        if run.status is RunStatus.FINISHED:
            logger.info("run %s (%s) already finished; reusing it", run.run_id, run.name)
            return StageRun(run, resumed=True, completed=True)
        run = wait_for_live_owner(self._tracking, self.lease, run)
        if run.status is RunStatus.FINISHED:
            return StageRun(run, resumed=True, completed=True)
        tags = self.lease.hold(run.experiment_id)
        try:
            take_over(self._tracking, self.lease, run, tags)
        except BaseException:
            self.lease.release()
            raise
        return StageRun(run, resumed=True)

    @contextmanager
    def scoped(
        self, stage: StageRun, pruned: tuple[type[BaseException], ...] = ()
    ) -> Iterator[StageRun]:
        """Yield the stage run; end it by the body's outcome (a completed one stays as is).

        ``pruned`` lists exception types that end the run as a pruned trial (FINISHED,
        ``code.trial.state=pruned``) instead of FAILED. The run's lease hold is released
        after it has ended.
        """
        if stage.completed:
            yield stage
            return
        try:
            with ended_by_outcome(self._tracking, stage.run_id, self._registry, pruned):
                yield stage
        finally:
            self.lease.release()

    def reap(self, experiment_id: str) -> list[str]:
        """End the runs of expired leases in this experiment now (the heartbeat does it too)."""
        return self.lease.reaper.reap((experiment_id,), own=self.lease.run_in(experiment_id))
