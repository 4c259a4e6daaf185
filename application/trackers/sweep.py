"""The HPO sweep tracker: a sweep parent, its trials, their CV folds and the refit.

Every run is opened by its run key, so re-running a crashed sweep resumes its runs instead
of duplicating them; runs a dead attempt left RUNNING are tagged ``code.interrupted`` and
ended KILLED when the sweep starts again. Context managers end each run FINISHED, FAILED
or KILLED and re-raise the caller's exception unchanged (the original swallowed it, W-7).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from trackwright.application.trackers.stage_runs import StageRun, StageRuns
from trackwright.domain.identity import BOOKKEEPING_PARAMS, trial_key_hash
from trackwright.domain.model import Metric, RunKind
from trackwright.domain.stage_context import StageContext


def _as_params(values: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items() if k not in BOOKKEEPING_PARAMS}


class TrialScope:
    """One HPO trial: its run, its folds, its cross-validated metrics."""

    def __init__(
        self, stages: StageRuns, ctx: StageContext, stage: StageRun, experiment_id: str
    ) -> None:
        self._stages, self.context, self.stage, self._experiment_id = (
            stages,
            ctx,
            stage,
            experiment_id,
        )

    @property
    def run_id(self) -> str:
        """The trial run's id."""
        return self.stage.run_id

    @contextmanager
    def fold(self, fold_idx: int) -> Iterator[StageRun]:
        """Open fold ``fold_idx`` as a child of this trial, with the trial's identity tags."""
        ctx = self.context.evolve(kind=RunKind.FOLD, fold_idx=fold_idx)
        stage = self._stages.open(
            ctx, self._experiment_id, self.stage.ref, look_up=self.stage.resumed
        )
        with self._stages.scoped(stage) as fold:
            yield fold

    def log_cv(self, metric: str, fold_scores: Sequence[float]) -> float:
        """Log the mean (as ``metric`` and ``cv_mean``), ``cv_std`` and each fold's score.

        A trial completed in an earlier attempt is not written again: its stored mean is
        returned instead.
        """
        mean = statistics.fmean(fold_scores)
        if self.stage.completed:
            return float(self.stage.run.metrics.get(metric, mean))
        std = statistics.pstdev(fold_scores) if len(fold_scores) > 1 else 0.0
        metrics = [Metric(metric, mean), Metric("cv_mean", mean), Metric("cv_std", std)]
        metrics += [Metric(f"fold_{i}_{metric}", s) for i, s in enumerate(fold_scores)]
        self._stages.tracking.log_batch(self.run_id, metrics=metrics)
        return mean


class SweepScope:
    """An open sweep: opens trials and the refit under the sweep run."""

    def __init__(self, stages: StageRuns, ctx: StageContext, stage: StageRun) -> None:
        self._stages, self.context, self.stage = stages, ctx, stage

    @property
    def run_id(self) -> str:
        """The sweep run's id."""
        return self.stage.run_id

    def _trial_context(
        self, kind: RunKind, number: int, hyperparameters: Mapping[str, Any]
    ) -> StageContext:
        study = self.context.study_key_hash or ""
        trial_hash = trial_key_hash(study, hyperparameters)
        return self.context.evolve(
            kind=kind,
            trial_number=number,
            trial_key_hash=trial_hash,
            trial_id=f"trial_{number}_{trial_hash[:12]}",
        )

    @contextmanager
    def trial(self, number: int, hyperparameters: Mapping[str, Any]) -> Iterator[TrialScope]:
        """Open trial ``number``; its params are the hyper-parameters (bookkeeping excluded)."""
        ctx = self._trial_context(RunKind.TRIAL, number, hyperparameters)
        experiment_id = self.stage.run.experiment_id
        stage = self._stages.open(ctx, experiment_id, self.stage.ref, look_up=self.stage.resumed)
        with self._stages.scoped(stage):
            if not stage.completed:
                self._stages.tracking.log_batch(stage.run_id, params=_as_params(hyperparameters))
            yield TrialScope(self._stages, ctx, stage, self.stage.run.experiment_id)

    @contextmanager
    def refit(self, trial: TrialScope, hyperparameters: Mapping[str, Any]) -> Iterator[StageRun]:
        """Open the refit of ``trial`` on the full training data, linked to that trial."""
        ctx = trial.context.evolve(kind=RunKind.REFIT)
        keys = self._stages.registry.key
        extra = {
            keys("refit", "of_trial_run_id"): trial.run_id,
            keys("training", "refit"): "true",
            keys("grouping", "parent_run_id"): self.run_id,
        }
        experiment_id = self.stage.run.experiment_id
        stage = self._stages.open(
            ctx, experiment_id, self.stage.ref, extra, look_up=self.stage.resumed
        )
        with self._stages.scoped(stage):
            if not stage.completed:
                self._stages.tracking.log_batch(stage.run_id, params=_as_params(hyperparameters))
            yield stage

    def log_best_trial(self, trial: TrialScope, metric: str, value: float) -> None:
        """Record the best trial on the sweep run (param and tags, and ``best_<metric>``).

        Nothing is written when the sweep was completed in an earlier attempt.
        """
        if self.stage.completed:
            return
        keys = self._stages.registry.key
        self._stages.tracking.log_batch(
            self.run_id,
            tags={
                keys("hpo", "best_trial_run_id"): trial.run_id,
                keys("hpo", "best_trial_number"): str(trial.context.trial_number),
            },
            params={"best_trial_run_id": trial.run_id},
            metrics=[Metric(f"best_{metric}", value)],
        )


class SweepTracker:
    """Opens sweeps in one experiment for one backbone."""

    def __init__(self, stages: StageRuns, experiment_id: str, base: StageContext) -> None:
        self._stages, self._experiment_id, self._base = stages, experiment_id, base

    @contextmanager
    def sweep(
        self,
        study_key_hash: str,
        *,
        study_family_hash: str | None = None,
        study_name: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Iterator[SweepScope]:
        """Open (or resume) the sweep of this study; interrupted leftovers are reaped first."""
        ctx = self._base.evolve(
            kind=RunKind.SWEEP,
            study_key_hash=study_key_hash,
            study_family_hash=study_family_hash,
            study_name=study_name,
        )
        study_tag = self._stages.registry.key("grouping", "study_key_hash")
        self._stages.reap_interrupted(self._experiment_id, {study_tag: study_key_hash})
        stage = self._stages.open(ctx, self._experiment_id)
        with self._stages.scoped(stage):
            if params and not stage.resumed:
                self._stages.tracking.log_batch(stage.run_id, params=_as_params(params))
            yield SweepScope(self._stages, ctx, stage)
