"""Distributed sweeps for real: repetitions of 4 workers x 5 trials, and request counts.

Starts PostgreSQL (pgserver) and ``mlflow server --workers 2`` on it, exactly as the test
session does, then:

1. ``--repetitions`` times in a row, 4 worker processes on one Optuna study (RDB storage on
   the same PostgreSQL), 5 trials of 2 folds each, released at the same instant; then the
   same with workers started 1 s apart. Prints what each repetition left in MLflow.
2. Requests through a counting HTTP proxy in front of the server: a fresh sweep of N trials
   x 3 folds (one worker), re-running it finished, and resuming it half-finished; and the
   requests added by the one-sweep protocol and by heartbeats.

Run: ``.venv/bin/python -m benchmarks.distributed_sweeps [--repetitions 10]``. Not a test:
it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from tests.counting_proxy import CountingProxy
from tests.distributed.harness import Fleet, record, seconds_until_ended, wait_for_fold
from tests.live_server.postgres import PostgresMlflowServer, start_postgres_server
from tests.live_server.server import without_proxies
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.trackers import SweepTracker
from trackwright.domain.model import Metric, RunKind
from trackwright.domain.stage_context import StageContext

SETTINGS = {"heartbeat_interval": 0.5, "grace_period": 3.0, "settle": 1.0, "folds": 2}


def repetitions(server: PostgresMlflowServer, count: int, stagger: float) -> None:
    storage = server.cluster.database("optuna")
    for rep in range(count):
        folder = Path(tempfile.mkdtemp(prefix="trackwright-fleet-"))
        fleet = Fleet(folder, server.uri, storage, {**SETTINGS, "fold_seconds": 0.05})
        started = time.monotonic()
        try:
            for n in range(4):
                fleet.start(f"w{n}", n_trials=5, delay=n * stagger)
            fleet.go()
            codes = [fleet.wait(f"w{n}", timeout=300) for n in range(4)]
        finally:
            fleet.stop()
        summary = record(MlflowTracking(server.uri), fleet).summary()
        seconds = time.monotonic() - started
        print(f"stagger {stagger:.0f} s rep {rep + 1:2d}: exit {codes} {seconds:5.1f} s {summary}")
        shutil.rmtree(folder, ignore_errors=True)


def kill_nine(server: PostgresMlflowServer, count: int) -> None:
    storage = server.cluster.database("optuna")
    tracking = MlflowTracking(server.uri)
    for rep in range(count):
        folder = Path(tempfile.mkdtemp(prefix="trackwright-fleet-"))
        fleet = Fleet(folder, server.uri, storage, {**SETTINGS, "fold_seconds": 0.6})
        try:
            victim = fleet.start("victim", n_trials=6)
            fleet.start("survivor", n_trials=6)
            fleet.go()
            fold = wait_for_fold(tracking, fleet, "victim", timeout=60)
            fleet.kill("victim")
            reaped = seconds_until_ended(tracking, [fold.run_id, str(fold.parent_run_id)], 60)
            fleet.start("restarted", n_trials=2)
            fleet.go()
            codes = [fleet.wait(n, timeout=300) for n in ("survivor", "restarted")]
        finally:
            fleet.stop()
        final = record(tracking, fleet)
        mine = f"-{victim.pid}-"
        lost = [
            r.run_id
            for r in final.runs
            if r.tags.get("code.interrupted") and mine not in r.tags.get("code.worker_id", "")
        ]
        print(
            f"kill -9 rep {rep + 1}: victim's trial+fold ended {reaped:.1f} s after the kill "
            f"(grace {SETTINGS['grace_period']} s), exits {codes}, live workers' runs "
            f"interrupted: {len(lost)}, {final.summary()}"
        )
        shutil.rmtree(folder, ignore_errors=True)


def _sweep(uri: str, experiment: str, trials: range, interval: float, folder: Path) -> None:
    settings = TrackwrightSettings(
        tracking_uri=uri,
        run_index_file=folder / "index.db",
        heartbeat_interval=interval,
        grace_period=interval * 4,
    )
    container = build_container(settings)
    experiment_id = container.experiments().get_or_create(experiment)
    base = StageContext(kind=RunKind.SWEEP, model="bert")
    tracker = SweepTracker(container.stage_runs(), experiment_id, base)
    tracking = container.tracking()
    with tracker.sweep("c3" * 32) as sweep:
        for number in trials:
            with sweep.trial(number, {"lr": number, "dropout": 0.1}) as trial:
                if trial.stage.completed:
                    continue
                for fold_idx in range(3):
                    with trial.fold(fold_idx) as fold:
                        tracking.log_batch(fold.run_id, metrics=[Metric("f1", 0.5)])
                trial.log_cv("f1", [0.5, 0.5, 0.5])


def requests(server: PostgresMlflowServer, n: int, folder: Path) -> None:
    proxy = CountingProxy(server.uri.removeprefix("http://"))
    experiment = f"requests-{n}-{time.time_ns()}"
    try:
        _sweep(proxy.uri, experiment, range(n), 1000.0, folder)
        fresh = proxy.reset()
        fresh_total = sum(fresh.values())
        runs = 1 + n * 4
        print(f"N={n}: fresh sweep {fresh_total} requests, {fresh_total / runs:.3f} per run")
        print(f"        by endpoint: {dict(sorted(fresh.items()))}")
        _sweep(proxy.uri, experiment, range(n), 1000.0, folder)
        again = proxy.reset()
        writes = sum(v for k, v in again.items() if "search" not in k and "get" not in k)
        print(f"N={n}: re-run finished: {sum(again.values())} requests, {writes} writes")
        if n <= 200:  # a sweep of 1.5 N trials, of which N finished: N / 2 unfinished
            _sweep(proxy.uri, experiment, range(n + n // 2), 1000.0, folder)
            resumed = sum(proxy.reset().values())
            print(f"N={n}: resume with {n // 2} trials unfinished: {resumed} requests")
    finally:
        proxy.stop()


def heartbeats(server: PostgresMlflowServer, folder: Path) -> None:
    proxy = CountingProxy(server.uri.removeprefix("http://"))
    try:
        started = time.monotonic()
        _sweep(proxy.uri, f"beats-{time.time_ns()}", range(50), 0.25, folder)
        seconds = time.monotonic() - started
        counts = proxy.reset()
        print(
            f"50 trials in {seconds:.1f} s with a 0.25 s heartbeat: {dict(sorted(counts.items()))}"
        )
    finally:
        proxy.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--skip-repetitions", action="store_true")
    args = parser.parse_args()
    os.environ.update(without_proxies(dict(os.environ)))
    os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
    server = start_postgres_server()
    folder = Path(tempfile.mkdtemp(prefix="trackwright-bench-"))
    try:
        print(f"server ready in {server.wait_until_ready():.1f} s")
        if not args.skip_repetitions:
            repetitions(server, args.repetitions, 0.0)
            repetitions(server, args.repetitions, 1.0)
            kill_nine(server, 3)
        for n in (20, 200, 2000):
            requests(server, n, folder)
        heartbeats(server, folder)
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
