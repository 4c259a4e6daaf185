"""One HPO worker process on a shared Optuna study, tracked through the documented path.

Run as ``python -m tests.distributed.process_worker CONFIG_JSON``. It imports everything,
touches ``<ready>``, waits for ``<go>`` (so several workers start at the same instant),
then runs ``n_trials`` Optuna trials of ``folds`` folds each through
``SweepTracker.sweep`` / ``tracked_objective`` / ``TrialScope.fold``.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import optuna

from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.integrations.optuna import (
    failed_trial_callback,
    optuna_study_key,
    tracked_objective,
)
from trackwright.application.trackers import SweepScope, SweepTracker, TrialScope
from trackwright.application.trackers.reaper import LeaseReaper
from trackwright.domain.model import Metric, RunKind, RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.stage_context import StageContext

SWEEP_ENDED_MARK = "SWEEP-NOT-RUNNING-DURING-A-TRIAL"


def _objective(config: dict[str, Any], sweep: SweepScope, tracking: TrackingPort) -> Any:
    def sweep_still_running() -> None:
        """Test instrumentation: the shared sweep must be RUNNING while a trial runs."""
        if tracking.get_run(sweep.run_id).status is not RunStatus.RUNNING:
            print(SWEEP_ENDED_MARK, flush=True)

    def objective(trial: optuna.trial.Trial, tracked: TrialScope) -> float:
        sweep_still_running()
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        scores = []
        for fold_idx in range(int(config["folds"])):
            with tracked.fold(fold_idx) as fold:
                time.sleep(float(config["fold_seconds"]))
                scores.append(1.0 - lr * (fold_idx + 1))
                tracking.log_batch(fold.run_id, metrics=[Metric("f1", scores[-1])])
        sweep_still_running()
        return sum(scores) / len(scores)

    return objective


def _storage(config: dict[str, Any], reaper: LeaseReaper) -> Any:
    """The study's RDB storage; with ``optuna_heartbeat``, Optuna's own dead-worker check too."""
    if not config.get("optuna_heartbeat"):
        return config["storage"]
    return optuna.storages.RDBStorage(
        config["storage"],
        heartbeat_interval=1,
        grace_period=int(config["grace_period"]),
        failed_trial_callback=failed_trial_callback(reaper),
    )


def main(config: dict[str, Any]) -> None:
    settings = TrackwrightSettings(
        tracking_uri=config["tracking_uri"],
        run_index_file=Path(config["folder"]) / f"index-{config['name']}.db",
        heartbeat_interval=config["heartbeat_interval"],
        grace_period=config["grace_period"],
        sweep_settle_seconds=config["settle"],
    )
    container = build_container(settings)
    experiment_id = container.experiments().get_or_create(config["experiment"])
    base = StageContext(kind=RunKind.SWEEP, model="distilbert")
    tracker = SweepTracker(container.stage_runs(), experiment_id, base)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = _storage(config, container.stage_runs().lease.reaper)
    study = optuna.load_study(study_name=config["study"], storage=storage)
    Path(config["ready"]).touch()
    while not Path(config["go"]).exists():
        time.sleep(0.005)
    time.sleep(float(config.get("delay", 0.0)))
    with tracker.sweep(optuna_study_key(config["study"])) as sweep:
        objective = _objective(config, sweep, container.tracking())
        study.optimize(tracked_objective(sweep, objective), n_trials=config["n_trials"])


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # Optuna's experimental heartbeat warns on every start
    main(json.loads(sys.argv[1]))
