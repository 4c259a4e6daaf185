"""One HPO trial: its run, its folds, its metrics, and params logged as they are sampled."""

from __future__ import annotations

import logging
import statistics
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from trackwright.application.trackers.stage_runs import StageRun, StageRuns
from trackwright.domain.errors import TrackingError
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.identity import BOOKKEEPING_PARAMS
from trackwright.domain.model import Metric, Run, RunKind
from trackwright.domain.stage_context import StageContext

logger = logging.getLogger(__name__)


def as_params(values: Mapping[str, Any]) -> dict[str, str]:
    """Params as MLflow stores them (strings), bookkeeping keys left out."""
    return {k: str(v) for k, v in values.items() if k not in BOOKKEEPING_PARAMS}


class TrialScope:
    """One HPO trial: its run, its folds, its cross-validated metrics.

    Params (the trial's hyper-parameters, and those given to ``log_params`` while it runs:
    define-by-run) wait in a buffer and go out with the trial's next batch (``log_metrics``,
    ``log_cv``, the end of the trial), or alone once they have waited ``params_delay``
    seconds (``StageRuns.trial_params_delay``): a long trial shows its params while it
    runs, a short one pays no request for them. None are lost: a background write that
    fails puts them back, and the trial's end writes them or raises.
    """

    def __init__(
        self,
        stages: StageRuns,
        ctx: StageContext,
        stage: StageRun,
        pruned: tuple[type[BaseException], ...] = (),
    ) -> None:
        self._stages, self.context, self.stage, self._pruned = stages, ctx, stage, pruned
        self._pending: dict[str, str] = {}
        self._folds: dict[str, Run] | None = None
        self._lock = threading.Lock()  # the buffer and the timer
        self._writing = threading.Lock()  # one params write at a time, in order
        self._timer: threading.Timer | None = None

    @property
    def run_id(self) -> str:
        """The trial run's id."""
        return self.stage.run_id

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Add params; they are written with the trial's next batch, or after the delay."""
        if self.stage.completed:
            return
        delay = self._stages.trial_params_delay
        with self._lock:
            self._pending.update(as_params(params))
            if delay > 0 and self._timer is None and self._pending:
                self._timer = threading.Timer(delay, self._write_in_background)
                self._timer.daemon = True
                self._timer.start()
        if delay <= 0:
            self.flush()

    def _take_pending(self) -> dict[str, str]:
        with self._lock:
            pending, self._pending = self._pending, {}
            timer, self._timer = self._timer, None
        if timer is not None and timer is not threading.current_thread():
            timer.cancel()
        return pending

    def _write_in_background(self) -> None:
        """The delay ran out before the trial's next batch: write the params alone."""
        with self._writing:
            pending = self._take_pending()
            if not pending:
                return
            try:
                self._stages.tracking.log_batch(self.run_id, params=pending)
            except TrackingError as exc:  # the trial's next batch or its end tries again
                self._put_back(pending)
                logger.warning("params of trial run %s not written yet: %s", self.run_id, exc)
            except BaseException:
                self._put_back(pending)
                raise

    def _put_back(self, pending: dict[str, str]) -> None:
        """Params whose write failed wait again (newer values of a key win)."""
        with self._lock:
            self._pending = {**pending, **self._pending}

    def flush(self) -> None:
        """Write params still waiting in the buffer (one batch; nothing if none wait)."""
        with self._writing:
            pending = self._take_pending()
            if pending:
                self._stages.tracking.log_batch(self.run_id, params=pending)

    def flush_quietly(self) -> None:
        """``flush`` when the trial is failing: a backend error is logged, not raised."""
        try:
            self.flush()
        except TrackingError as exc:
            logger.warning("params of trial run %s not written: %s", self.run_id, exc)

    def log_metrics(self, metrics: Sequence[Metric]) -> None:
        """Log metrics (with any waiting params) in one batch."""
        if not self.stage.completed:
            with self._writing:
                pending = self._take_pending()
                try:
                    self._stages.tracking.log_batch(self.run_id, params=pending, metrics=metrics)
                except BaseException:
                    self._put_back(pending)  # the trial's end tries them again
                    raise

    def _known_folds(self) -> dict[str, Run] | None:
        """Folds of an earlier attempt (one search, only for a resumed unfinished trial)."""
        if not self.stage.resumed:
            return {}
        if self._folds is None:
            key_tag = self._stages.registry.key("grouping", "run_key_hash")
            query = RunQuery(
                experiment_ids=(self.stage.run.experiment_id,), parent_run_id=self.run_id
            )
            runs = self._stages.tracking.search_runs(query).runs
            self._folds = {r.tags[key_tag]: r for r in reversed(runs) if key_tag in r.tags}
        return self._folds

    @contextmanager
    def fold(self, fold_idx: int) -> Iterator[StageRun]:
        """Open fold ``fold_idx`` as a child of this trial, with the trial's identity tags."""
        ctx = self.context.evolve(kind=RunKind.FOLD, fold_idx=fold_idx)
        stage = self._stages.open(
            ctx, self.stage.run.experiment_id, self.stage.ref, known=self._known_folds()
        )
        with self._stages.scoped(stage, self._pruned) as fold:
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
        self.log_metrics(metrics)
        return mean
