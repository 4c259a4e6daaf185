"""Round trips and time: trackwright vs raw MlflowClient doing the same work on sqlite.

Work measured (each on a fresh copy of a migrated sqlite store):
  A. one HPO sweep: parent, 4 trials x 3 folds, metrics on every run, all ended FINISHED;
  B. creating one child run under a known parent.
The raw-client side does the least a careful hand-written version needs: one
``create_run`` with tags per run, one ``log_batch`` per run, one ``set_terminated`` per
run. trackwright also looks each run up by its run key (so a re-run resumes instead of
duplicating), which the raw version does not do.

Run: ``.venv/bin/python benchmarks/round_trips.py`` (prints a table; no assertions).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mlflow import MlflowClient
from mlflow.entities import Metric as MlflowMetric
from mlflow.entities import Param

from trackwright.adapters.counting import CountingTracking
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.trackers import SweepTracker
from trackwright.application.trackers.stage_runs import StageRuns
from trackwright.domain.model import Metric, RunKind
from trackwright.domain.stage_context import StageContext

TRIALS, FOLDS, REPEATS = 4, 3, 5


def migrated_template(folder: Path) -> Path:
    path = folder / "template.db"
    MlflowClient(tracking_uri=f"sqlite:///{path}").search_experiments()
    return path


def fresh_store(template: Path, folder: Path, name: str) -> str:
    target = folder / f"{name}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def trackwright_sweep(uri: str) -> list[str]:
    counting = CountingTracking(MlflowTracking(uri))
    container = build_container(TrackwrightSettings(backend="memory", tracking_uri=uri))
    container.backend.override(counting)
    registry = container.tag_policy().registry
    stages = StageRuns(counting, container.runs(), container.run_finder(), registry)
    experiment_id = container.experiments().get_or_create("bench-hpo-bert")
    tracker = SweepTracker(stages, experiment_id, StageContext(kind=RunKind.SWEEP, model="bert"))
    with tracker.sweep("s" * 64) as sweep:
        for number in range(TRIALS):
            with sweep.trial(number, {"learning_rate": 1e-5 * (number + 1)}) as trial:
                for fold_idx in range(FOLDS):
                    with trial.fold(fold_idx) as fold:
                        counting.log_batch(fold.run_id, metrics=[Metric("macro-f1", 0.7)])
                trial.log_cv("macro-f1", [0.7] * FOLDS)
        counting.log_batch(sweep.run_id, metrics=[Metric("best_macro-f1", 0.7)])
    return counting.calls


def now_metric(key: str) -> MlflowMetric:
    """A metric value stamped now, as the raw client needs it."""
    return MlflowMetric(key, 0.7, int(time.time() * 1000), 0)


def raw_sweep(uri: str) -> list[str]:
    client = CountingTracking(MlflowClient(tracking_uri=uri))
    experiment_id = client.create_experiment("bench-hpo-bert")
    sweep = client.create_run(experiment_id, run_name="sweep", tags={"code.run_type": "sweep"})
    for trial in range(TRIALS):
        tags = {"mlflow.parentRunId": sweep.info.run_id, "trial_number": str(trial)}
        run = client.create_run(experiment_id, run_name=f"trial_{trial}", tags=tags)
        for fold in range(FOLDS):
            fold_tags = {"mlflow.parentRunId": run.info.run_id, "fold_idx": str(fold)}
            fold_run = client.create_run(experiment_id, run_name=f"fold{fold}", tags=fold_tags)
            client.log_batch(fold_run.info.run_id, metrics=[now_metric("macro-f1")])
            client.set_terminated(fold_run.info.run_id)
        params = [Param("learning_rate", str(1e-5 * (trial + 1)))]
        client.log_batch(run.info.run_id, metrics=[now_metric("macro-f1")], params=params)
        client.set_terminated(run.info.run_id)
    client.log_batch(sweep.info.run_id, metrics=[now_metric("best_macro-f1")])
    client.set_terminated(sweep.info.run_id)
    return client.calls


def trackwright_child(uri: str) -> list[str]:
    container = build_container(TrackwrightSettings(tracking_uri=uri))
    parent = container.runs().create_standalone("child-bench", "parent")
    counting = CountingTracking(container.backend())
    fresh = build_container(TrackwrightSettings(backend="memory", tracking_uri=uri))
    fresh.backend.override(counting)
    fresh.runs().create_child(parent.ref, "trial_0", trial_number=0)
    return counting.calls


def raw_child(uri: str) -> list[str]:
    setup = MlflowClient(tracking_uri=uri)
    parent = setup.create_run(setup.create_experiment("child-bench"), run_name="parent")
    client = CountingTracking(MlflowClient(tracking_uri=uri))
    experiment_id = client.get_run(parent.info.run_id).info.experiment_id
    client.create_run(
        experiment_id, run_name="trial_0", tags={"mlflow.parentRunId": parent.info.run_id}
    )
    return client.calls


def measure(work: Callable[[str], list[str]], template: Path, folder: Path) -> tuple[int, float]:
    times, calls = [], 0
    for i in range(REPEATS):
        uri = fresh_store(template, folder, f"{work.__name__}-{i}")
        started = time.perf_counter()
        calls = len(work(uri))
        times.append(time.perf_counter() - started)
    return calls, statistics.median(times)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="trackwright-bench-"))
    template = migrated_template(folder)
    rows = [
        ("A. sweep 4x3", trackwright_sweep, raw_sweep),
        ("B. child run", trackwright_child, raw_child),
    ]
    header = ("work", "tw calls", "raw calls", "ratio", "tw s", "raw s", "ratio")
    print("{:<14} {:>9} {:>9} {:>6} {:>8} {:>8} {:>6}".format(*header))
    for label, ours, theirs in rows:
        our_calls, our_time = measure(ours, template, folder)
        raw_calls, raw_time = measure(theirs, template, folder)
        print(
            f"{label:<14} {our_calls:>9} {raw_calls:>9} {our_calls / raw_calls:>6.2f} "
            f"{our_time:>8.3f} {raw_time:>8.3f} {our_time / raw_time:>6.2f}"
        )
    print(f"(median of {REPEATS} runs each, sqlite store, {time.strftime('%Y-%m-%d')})")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
