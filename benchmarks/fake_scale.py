"""The in-memory fake at scale: memory per run, tag-equality search, re-running a sweep.

1. 100,000 FINISHED runs in one experiment of the fake, created through the port, each with
   the five tags of ``find_by_key.py`` (run name, run-key hash, stage, model, trial id):
   bytes per run (tracemalloc, after the first search built its tag index), and the time of
   a tag-equality search by run-key hash (the first search of a key, which builds the
   index, is shown apart from the median of the next ones).
2. The same 100,000 runs in MLflow's sqlite store (rows inserted as ``create_run`` writes
   them) and the same query through ``MlflowTracking.search_runs``.
3. A sweep of 400 trials x 3 folds through the stage trackers on the fake, then the same
   sweep again (every run found by its key): wall time of each (one worker, default
   settings: alone in the experiment, it does not wait the sweep's settle window).

Run: ``.venv/bin/python benchmarks/fake_scale.py [runs] [trials]`` (prints; no assertions).
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from mlflow import MlflowClient

from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.trackers import SweepTracker
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.identity import run_key_hash
from trackwright.domain.model import Metric, RunKind, RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.stage_context import StageContext

KEY_TAG = "code.run_key_hash"
LOOKUPS = 15


def tags_of(i: int) -> dict[str, str]:
    """The tags of the ``i``-th run."""
    return {
        KEY_TAG: run_key_hash(f"hpo:bert:trial_{i}"),
        "code.stage": "hpo",
        "code.model": "bert",
        "code.trial_id": f"trial_{i}",
    }


def search_ms(tracking: TrackingPort, experiment_id: str, runs: int) -> tuple[float, float]:
    """(first search, median of the next ``LOOKUPS``) in ms, each by a distinct key."""
    samples = []
    for k in range(LOOKUPS + 1):
        i = runs * (k + 1) // (LOOKUPS + 2)
        query = RunQuery(experiment_ids=(experiment_id,), tags={KEY_TAG: tags_of(i)[KEY_TAG]})
        started = time.perf_counter()
        found = tracking.search_runs(query).runs
        samples.append((time.perf_counter() - started) * 1000)
        assert [r.name for r in found] == [f"trial_{i}"], found
    return samples[0], statistics.median(samples[1:])


def fake_with(runs: int) -> tuple[InMemoryTracking, str, float, float]:
    """A fake holding ``runs`` FINISHED runs, its experiment, bytes per run, first search ms.

    The first tag search of a key builds that key's index; its time is returned apart.
    """
    tracemalloc.start()
    fake = InMemoryTracking()
    experiment_id = fake.create_experiment("bench-scale")
    for i in range(runs):
        run = fake.create_run(
            experiment_id, f"trial_{i}", tags_of(i), start_time=1_700_000_000_000 + i
        )
        fake.set_terminated(run.run_id, RunStatus.FINISHED)
    started = time.perf_counter()
    fake.search_runs(RunQuery(experiment_ids=(experiment_id,), tags={KEY_TAG: "x"}))
    build_ms = (time.perf_counter() - started) * 1000
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return fake, experiment_id, used / runs, build_ms


def sqlite_with(folder: Path, runs: int) -> tuple[MlflowTracking, str]:
    """MLflow's sqlite store holding the same runs, inserted in one transaction."""
    uri = f"sqlite:///{folder / 'scale.db'}"
    experiment_id = MlflowClient(tracking_uri=uri).create_experiment("bench-scale")
    ids = [uuid.uuid4().hex for _ in range(runs)]
    run_rows = [
        (ids[i], f"trial_{i}", "UNKNOWN", "", "", "bench", "FINISHED", 1_700_000_000_000 + i,
         1_700_000_000_500 + i, "", "active", f"{folder}/{ids[i]}/artifacts", int(experiment_id))
        for i in range(runs)
    ]  # fmt: skip
    tag_rows = [
        (key, value, ids[i])
        for i in range(runs)
        for key, value in {"mlflow.runName": f"trial_{i}", **tags_of(i)}.items()
    ]
    with sqlite3.connect(folder / "scale.db") as db:
        db.executemany(
            "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, "
            "user_id, status, start_time, end_time, source_version, lifecycle_stage, "
            "artifact_uri, experiment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            run_rows,
        )
        db.executemany("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", tag_rows)
    return MlflowTracking(uri), experiment_id


def sweep(container_memory: object, trials: int) -> float:
    """Seconds to run one sweep of ``trials`` x 3 folds through the stage trackers."""
    container = container_memory
    experiment_id = container.experiments().get_or_create("bench-rerun")  # type: ignore[attr-defined]
    base = StageContext(kind=RunKind.SWEEP, model="bert")
    stages = container.stage_runs()  # type: ignore[attr-defined]
    tracker = SweepTracker(stages, experiment_id, base)
    tracking = container.tracking()  # type: ignore[attr-defined]
    started = time.perf_counter()
    with tracker.sweep("s" * 64) as scope:
        for number in range(trials):
            with scope.trial(number, {"learning_rate": 1e-5 * (number + 1)}) as trial:
                for fold_idx in range(3):
                    with trial.fold(fold_idx) as fold:
                        if not fold.completed:
                            tracking.log_batch(fold.run_id, metrics=[Metric("macro-f1", 0.7)])
                trial.log_cv("macro-f1", [0.7] * 3)
    return time.perf_counter() - started


def main(runs: int = 100_000, trials: int = 400) -> None:
    """Print the three measurements."""
    fake, experiment_id, per_run, build_ms = fake_with(runs)
    _, median = search_ms(fake, experiment_id, runs)
    print(f"fake: {runs} runs, {per_run:.0f} bytes per run (tracemalloc, index included)")
    print(
        f"fake search by run-key tag: median {median:.3f} ms "
        f"(first search on the key: {build_ms:.1f} ms, builds its index)"
    )
    del fake
    with tempfile.TemporaryDirectory() as tmp:
        tracking, sqlite_experiment = sqlite_with(Path(tmp), runs)
        first, median = search_ms(tracking, sqlite_experiment, runs)
        print(f"sqlite store search by run-key tag: first {first:.2f} ms, median {median:.3f} ms")
    container = build_container(TrackwrightSettings(backend="memory"))
    first_run = sweep(container, trials)
    rerun = sweep(container, trials)
    print(
        f"fake sweep of {trials} trials x 3 folds: first {first_run:.2f} s, re-run {rerun:.2f} s"
        f" ({rerun / first_run:.2f}x)"
    )


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:3]])
