"""Optuna: a study is a sweep, each trial a trial run (``pip install 'trackwright[optuna]'``).

Wrap the objective; everything else is Optuna's::

    with tracker.sweep(optuna_study_key(study.study_name)) as sweep:
        study.optimize(tracked_objective(sweep, objective), n_trials=20, n_jobs=4)

``tracked_objective`` opens the trial run before the objective samples anything
(define-by-run: the sampled params are logged with the trial's result in one batch), stores
the run id in the trial's user attributes, and ends the run by Optuna's outcome: complete
(FINISHED), pruned (``TrialPruned``: FINISHED, ``code.trial.state=pruned``) or failed
(FAILED with the exception's type and a short message). Threads (``n_jobs>1``) and
processes on one RDB or Journal storage share the sweep (docs/distributed-sweeps.md); a
restarted process attaches to the same sweep run.

Dead workers: trackwright's lease ends their runs KILLED. With an RDB storage that has
``heartbeat_interval``, Optuna also fails their trials; ``failed_trial_callback`` maps that
onto the runs right away (``RDBStorage(..., failed_trial_callback=...)``).

optuna is imported only when a function here runs, never when trackwright is imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trackwright.application.trackers.reaper import LeaseReaper
from trackwright.application.trackers.sweep import SweepScope
from trackwright.application.trackers.trial import TrialScope
from trackwright.domain.model import Metric

if TYPE_CHECKING:
    import optuna

RUN_ID_ATTR = "trackwright_run_id"
Objective = Callable[["optuna.trial.Trial", TrialScope], float | list[float]]


def optuna_study_key(study_name: str) -> str:
    """The study key hash of an Optuna study: sha256 of ``optuna:<study name>``."""
    return hashlib.sha256(f"optuna:{study_name}".encode()).hexdigest()


def _metrics(value: float | list[float] | tuple[float, ...], name: str) -> list[Metric]:
    if isinstance(value, list | tuple):
        return [Metric(f"{name}_{i}", float(v)) for i, v in enumerate(value)]
    return [Metric(name, float(value))]


def tracked_objective(
    sweep: SweepScope, objective: Objective, *, metric: str = "objective"
) -> Callable[[optuna.trial.Trial], Any]:
    """``objective(trial, tracked)`` as an Optuna objective that records each trial.

    ``tracked`` is the ``TrialScope``: open folds with ``tracked.fold(i)``, log metrics
    with ``tracked.log_metrics``. The objective's value is logged as ``metric``
    (``metric_0``, ``metric_1`` ... for several objectives) with the sampled params.
    """
    import optuna

    def wrapped(trial: optuna.trial.Trial) -> Any:
        with sweep.trial(trial.number, pruned=(optuna.TrialPruned,)) as tracked:
            trial.set_user_attr(RUN_ID_ATTR, tracked.run_id)
            try:
                value = objective(trial, tracked)
            finally:
                tracked.log_params(trial.params)
            tracked.log_metrics(_metrics(value, metric))
            return value

    return wrapped


def failed_trial_callback(
    reaper: LeaseReaper,
) -> Callable[[optuna.study.Study, optuna.trial.FrozenTrial], None]:
    """A ``failed_trial_callback`` for ``RDBStorage``: Optuna's stale trial ends its run.

    The run is re-read and ended KILLED, tagged interrupted, only if it is still RUNNING
    under the lease it was opened with (pass ``container.stage_runs().lease.reaper``).
    """

    def mark(study: optuna.study.Study, trial: optuna.trial.FrozenTrial) -> None:
        run_id = trial.user_attrs.get(RUN_ID_ATTR)
        if run_id:
            reaper.end_run_of_dead_worker(str(run_id))

    return mark
