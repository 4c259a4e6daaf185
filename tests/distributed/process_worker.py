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
from pathlib import Path
from typing import Any

import optuna

from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.integrations.optuna import optuna_study_key, tracked_objective
from trackwright.application.trackers import SweepTracker, TrialScope
from trackwright.domain.model import Metric, RunKind
from trackwright.domain.stage_context import StageContext


def _objective(config: dict[str, Any]) -> Any:
    def objective(trial: optuna.trial.Trial, tracked: TrialScope) -> float:
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        scores = []
        for fold_idx in range(int(config["folds"])):
            with tracked.fold(fold_idx) as fold:
                time.sleep(float(config["fold_seconds"]))
                scores.append(1.0 - lr * (fold_idx + 1))
                tracked_log = Metric("f1", scores[-1])
                tracked._stages.tracking.log_batch(fold.run_id, metrics=[tracked_log])
        return sum(scores) / len(scores)

    return objective


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
    study = optuna.load_study(study_name=config["study"], storage=config["storage"])
    Path(config["ready"]).touch()
    while not Path(config["go"]).exists():
        time.sleep(0.005)
    time.sleep(float(config.get("delay", 0.0)))
    with tracker.sweep(optuna_study_key(config["study"])) as sweep:
        study.optimize(tracked_objective(sweep, _objective(config)), n_trials=config["n_trials"])


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
