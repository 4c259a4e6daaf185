"""Runs opened by run key: find-or-create, resume an interrupted attempt, end by outcome.

Opening a stage run looks its run key up first (local index, then the ``code.run_key_hash``
tag). A FINISHED run is reused as done (``completed``); a run of an interrupted attempt
is resumed (set RUNNING again) instead of duplicated; otherwise a new run is created with
all its tags in one call and recorded in the local index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from trackwright.application.use_cases.run_creation import RunCreation
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.lookup import FindRequest
from trackwright.domain.finding.query import RunQuery
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
    ) -> None:
        self._versions = versions
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
    ) -> StageRun:
        """Find the run of ``ctx`` by its key, or create it (named by its template).

        ``look_up=False`` skips the lookup: callers pass it for children of a run they have
        just created, which cannot have children from an earlier attempt yet.
        """
        key_hash = run_key_hash(run_key(ctx.kind, ctx))
        tags = {**self._builder.tags(ctx, key_hash), **dict(extra_tags or {})}
        if look_up:
            report = self._finder.find(FindRequest(experiment_id, run_key_hash=key_hash))
            if report.found and report.run_id:
                return self._resume(report.run or self._tracking.get_run(report.run_id))
        name = self._name(ctx)
        if parent is not None:
            run = self._runs.create_child(
                parent, name, trial_number=ctx.trial_number, fold_idx=ctx.fold_idx, tags=tags
            )
        else:
            run = self._runs.create_in_experiment(experiment_id, name, tags=tags)
        if look_up:  # runs looked up by key are worth indexing; fresh children are not
            self._finder.remember(key_hash, run.ref)
        return StageRun(run)

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
        logger.info("resuming run %s (%s), left %s", run.run_id, run.name, run.status.value)
        self._tracking.set_terminated(run.run_id, RunStatus.RUNNING)
        return StageRun(run, resumed=True)

    @contextmanager
    def scoped(self, stage: StageRun) -> Iterator[StageRun]:
        """Yield the stage run; end it by the body's outcome (a completed one stays as is)."""
        if stage.completed:
            yield stage
            return
        with self._runs.scoped(stage.run):
            yield stage

    def reap_interrupted(self, experiment_id: str, tags: Mapping[str, str]) -> list[str]:
        """Tag ``code.interrupted`` on RUNNING runs matching ``tags`` and end them KILLED.

        Called when a workflow starts, before it opens any run, so every RUNNING match is a
        leftover of an attempt that died without ending its runs. Costs one search, plus
        two calls per leftover.
        """
        query = RunQuery(
            experiment_ids=(experiment_id,),
            tags=dict(tags),
            statuses=frozenset({RunStatus.RUNNING, RunStatus.SCHEDULED}),
        )
        interrupted = self._registry.key("training", "interrupted")
        reaped = []
        for run in self._tracking.search_runs(query).runs:
            self._tracking.log_batch(run.run_id, tags={interrupted: "true"})
            self._tracking.set_terminated(run.run_id, RunStatus.KILLED)
            reaped.append(run.run_id)
        if reaped:
            logger.warning("ended %d run(s) left RUNNING by an interrupted attempt", len(reaped))
        return reaped
