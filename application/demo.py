"""The main job: a small simulated HPO sweep with CV folds, recorded on a real store.

``python -m application.demo`` (``make demo``) records on ``MLFLOW_TRACKING_URI`` when it is
set, otherwise on MLflow's embedded default store ``sqlite:///mlflow.db`` in this folder.
"""

from __future__ import annotations

import logging
import os
import random
import sys

from application.container import build_container
from application.settings import TrackwrightSettings
from domain.model import Metric, RunStatus

DEFAULT_STORE = "sqlite:///mlflow.db"
logger = logging.getLogger("trackwright.demo")


def run_demo(tracking_uri: str, trials: int = 3, folds: int = 2) -> list[str]:
    """Record a sweep with ``trials`` trials of ``folds`` folds; returns the printed lines."""
    container = build_container(TrackwrightSettings(tracking_uri=tracking_uri))
    runs, tracking = container.runs(), container.tracking()
    rng = random.Random(7)
    lines: list[str] = []
    with runs.scoped(runs.create_standalone("trackwright-demo", "demo_hpo_sweep")) as sweep:
        lines.append(f"sweep {sweep.run_id} in experiment {sweep.experiment_id}")
        for trial in range(trials):
            with runs.scoped(
                runs.create_child(sweep.ref, f"trial_{trial}", trial_number=trial)
            ) as t:
                scores = []
                for fold in range(folds):
                    name = f"trial_{trial}_fold{fold}"
                    fold_run = runs.create_child(t.ref, name, trial_number=trial, fold_idx=fold)
                    score = round(rng.uniform(0.6, 0.9), 4)
                    scores.append(score)
                    tracking.log_batch(fold_run.run_id, metrics=[Metric("macro-f1", score)])
                    tracking.set_terminated(fold_run.run_id, RunStatus.FINISHED)
                mean = sum(scores) / len(scores)
                tracking.log_batch(t.run_id, metrics=[Metric("macro-f1", mean)])
                lines.append(f"  trial {trial}: macro-f1 {mean:.4f} ({folds} folds)")
    return lines


def main() -> int:
    """Run the demo and print what it recorded and how to browse it."""
    logging.basicConfig(level=logging.WARNING)
    uri = os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_STORE
    for line in run_demo(uri):
        print(line)
    print(f"browse with: mlflow ui --backend-store-uri {uri}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
