"""The HPO sweep tracker: a sweep parent, its trials, their CV folds and the refit.

Every run is opened by its run key, so re-running a crashed sweep resumes its runs instead
of duplicating them. Several workers (processes, machines or threads) may run one study:
``SweepTracker.sweep`` converges on one sweep run per study key, binds every run to the
worker's lease, and the last worker to leave ends the sweep (docs/distributed-sweeps.md).
Context managers end each run by its outcome (complete, pruned, failed, killed) and re-raise
the caller's exception unchanged (the original swallowed it, W-7).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from trackwright.application.trackers.stage_runs import StageRun, StageRuns
from trackwright.application.trackers.sweep_join import SweepJoin, SweepMembership, membership_of
from trackwright.application.trackers.trial import TrialScope, as_params
from trackwright.application.use_cases.lifecycle import end_with
from trackwright.domain.distributed.convergence import checked_study_key
from trackwright.domain.distributed.outcomes import RunOutcome
from trackwright.domain.identity import trial_key_hash
from trackwright.domain.model import Metric, Run, RunKind, RunStatus
from trackwright.domain.stage_context import StageContext

Pruned = tuple[type[BaseException], ...]


class SweepScope:
    """An open sweep: opens trials and the refit under the sweep run (thread-safe)."""

    def __init__(
        self,
        stages: StageRuns,
        ctx: StageContext,
        stage: StageRun,
        known: dict[str, Run],
        membership: SweepMembership,
        pruned: Pruned = (),
    ) -> None:
        self._stages, self.context, self.stage = stages, ctx, stage
        self._known, self._membership, self._pruned = known, membership, pruned
        self._joined = False
        self._lock = threading.Lock()

    @property
    def run_id(self) -> str:
        """The sweep run's id."""
        return self.stage.run_id

    def _join(self) -> None:
        """Join the sweep before this worker's first unfinished run in it (once)."""
        with self._lock:
            if not self._joined:
                self._membership.join(self.stage.run)
                self._joined = True

    def _adopt(self) -> None:
        """This worker created the sweep run as a member: count this scope in it."""
        with self._lock:
            self._membership.adopt(self.stage.run)
            self._joined = True

    def _leave(self, exc: BaseException | None) -> None:
        if self._joined:
            self._membership.leave(self.stage.run, exc)

    def _trial_context(
        self, number: int, hyperparameters: Mapping[str, Any] | None
    ) -> StageContext:
        study = self.context.study_key_hash or ""
        identity = {"trial_number": number} if hyperparameters is None else hyperparameters
        trial_hash = trial_key_hash(study, identity)
        return self.context.evolve(
            kind=RunKind.TRIAL,
            trial_number=number,
            trial_key_hash=trial_hash,
            trial_id=f"trial_{number}_{trial_hash[:12]}",
        )

    def _open(self, ctx: StageContext, extra: Mapping[str, str] | None = None) -> StageRun:
        stage = self._stages.open(
            ctx, self.stage.run.experiment_id, self.stage.ref, extra, known=self._known
        )
        if not stage.completed:
            self._join()
        return stage

    @contextmanager
    def trial(
        self,
        number: int,
        hyperparameters: Mapping[str, Any] | None = None,
        *,
        pruned: Pruned = (),
    ) -> Iterator[TrialScope]:
        """Open trial ``number``; its ``hyperparameters`` go out with its next batch.

        Params wait at most ``trial_params_delay`` seconds for the trial's next batch
        (its metrics, its end) before they are written alone (``TrialScope``). Without
        ``hyperparameters`` (define-by-run), the trial is keyed by its number alone and its
        params are logged as they are sampled (``TrialScope.log_params``), the same way.
        Exceptions of the tracker's ``pruned`` types end it
        as pruned (FINISHED, ``code.trial.state=pruned``), and so do those of ``pruned``;
        others as failed.
        """
        ctx = self._trial_context(number, hyperparameters)
        stage = self._open(ctx)
        with self._stages.scoped(stage, (*self._pruned, *pruned)):
            scope = TrialScope(self._stages, ctx, stage, self._pruned)
            if hyperparameters:
                scope.log_params(hyperparameters)
            try:
                yield scope
            except BaseException:
                scope.flush_quietly()
                raise
            scope.flush()

    @contextmanager
    def refit(self, trial: TrialScope, hyperparameters: Mapping[str, Any]) -> Iterator[StageRun]:
        """Open the refit of ``trial`` on the full training data, linked to that trial."""
        keys = self._stages.registry.key
        extra = {
            keys("refit", "of_trial_run_id"): trial.run_id,
            keys("training", "refit"): "true",
            keys("grouping", "parent_run_id"): self.run_id,
        }
        stage = self._open(trial.context.evolve(kind=RunKind.REFIT), extra)
        with self._stages.scoped(stage):
            if not stage.completed:
                self._stages.tracking.log_batch(stage.run_id, params=as_params(hyperparameters))
            yield stage

    def log_best_trial(self, trial: TrialScope, metric: str, value: float) -> None:
        """Record the best trial on the sweep run (tags, and the metric ``best_<metric>``).

        Tags, not params: params cannot change, and on a shared sweep several workers may
        each report a better trial.

        Nothing is written when the sweep was completed in an earlier attempt and this
        worker did not reopen it.
        """
        if self.stage.completed and not self._joined:
            return
        keys = self._stages.registry.key
        self._stages.tracking.log_batch(
            self.run_id,
            tags={
                keys("hpo", "best_trial_run_id"): trial.run_id,
                keys("hpo", "best_trial_number"): str(trial.context.trial_number),
            },
            metrics=[Metric(f"best_{metric}", value)],
        )

    def close(self, status: RunStatus = RunStatus.FINISHED) -> None:
        """End the shared sweep now, whoever else is still in it (an explicit close)."""
        end_with(self._stages.tracking, self.run_id, RunOutcome(status))


class SweepTracker:
    """Opens sweeps in one experiment for one backbone.

    Args:
        stages: The stage runs service (``container.stage_runs()``).
        experiment_id: Where the sweep and its runs live.
        base: The context every run of the sweep starts from.
        settle_seconds: How long a worker that created a sweep run waits before checking
            that it is the one every worker keeps (see docs/distributed-sweeps.md); None
            takes the container's ``sweep_settle_seconds`` (default 1 s).
        pruned: Exception types that end a trial as pruned rather than failed.
    """

    def __init__(
        self,
        stages: StageRuns,
        experiment_id: str,
        base: StageContext,
        *,
        settle_seconds: float | None = None,
        pruned: Pruned = (),
    ) -> None:
        self._stages, self._experiment_id, self._base = stages, experiment_id, base
        settle = stages.sweep_settle_seconds if settle_seconds is None else settle_seconds
        self._join = SweepJoin(stages, settle)
        self._membership = membership_of(stages)
        self._pruned = pruned

    @contextmanager
    def sweep(
        self,
        study_key_hash: str,
        *,
        study_family_hash: str | None = None,
        study_name: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Iterator[SweepScope]:
        """Open the study's one sweep run (finding, creating or joining it).

        Raises:
            InvalidStudyKeyError: ``study_key_hash`` is malformed (before any request).
        """
        ctx = self._base.evolve(
            kind=RunKind.SWEEP,
            study_key_hash=checked_study_key(study_key_hash),
            study_family_hash=study_family_hash,
            study_name=study_name,
        )
        stage, known, member = self._join.open(ctx, self._experiment_id)
        scope = SweepScope(self._stages, ctx, stage, known, self._membership, self._pruned)
        if member:
            scope._adopt()
        try:
            if not stage.completed:
                scope._join()
                if params and not stage.resumed:
                    self._stages.tracking.log_batch(stage.run_id, params=as_params(params))
            yield scope
        except BaseException as exc:
            scope._leave(exc)
            raise
        scope._leave(None)
