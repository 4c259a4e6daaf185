"""Worker processes on one Optuna study and one tracking server, and what they recorded.

Used by the distributed tests and by ``benchmarks/distributed_sweeps.py``. Every process
is started in its own session and killed (the whole group) by ``Fleet.stop``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run, RunStatus
from trackwright.domain.ports import TrackingPort

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Fleet:
    """Worker processes sharing one study; ``go`` releases all waiting workers at once."""

    folder: Path
    tracking_uri: str
    storage: str
    settings: dict[str, Any]
    experiment: str = field(default_factory=lambda: f"dist-{uuid.uuid4().hex[:10]}")
    study: str = field(default_factory=lambda: f"study-{uuid.uuid4().hex[:10]}")
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        optuna.create_study(study_name=self.study, storage=self.storage, direction="maximize")
        self._go = self.folder / f"go-{self.study}"

    def start(self, name: str, n_trials: int, delay: float = 0.0) -> subprocess.Popen[bytes]:
        """Launch worker ``name``; it waits for ``go`` after its imports."""
        config = {
            **self.settings,
            "name": name,
            "folder": str(self.folder),
            "tracking_uri": self.tracking_uri,
            "storage": self.storage,
            "experiment": self.experiment,
            "study": self.study,
            "n_trials": n_trials,
            "delay": delay,
            "ready": str(self.folder / f"ready-{self.study}-{name}"),
            "go": str(self._go),
        }
        log = (self.folder / f"{self.study}-{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.distributed.process_worker", json.dumps(config)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def go(self, timeout: float = 90.0) -> None:
        """Wait until every started worker is ready, then release them together."""
        deadline = time.monotonic() + timeout
        for name in self.processes:
            ready = self.folder / f"ready-{self.study}-{name}"
            while not ready.exists():
                if time.monotonic() > deadline or self.processes[name].poll() is not None:
                    raise RuntimeError(f"worker {name} never got ready:\n{self.log(name)}")
                time.sleep(0.05)
        self._go.touch()

    def wait(self, name: str, timeout: float) -> int:
        """Wait for worker ``name`` to exit; its exit code."""
        return self.processes[name].wait(timeout)

    def kill(self, name: str) -> None:
        """``kill -9`` the worker's whole process group."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait(10)

    def stop(self) -> None:
        """Kill every worker still running (teardown)."""
        for name, process in self.processes.items():
            if process.poll() is None:
                self.kill(name)

    def log(self, name: str, tail: int = 3000) -> str:
        """The end of a worker's output (``tail`` characters; 0 for all of it)."""
        path = self.folder / f"{self.study}-{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return text[-tail:] if tail else text


@dataclass(frozen=True)
class Record:
    """What the workers left in the experiment (and saw: the sweep ended mid-trial)."""

    runs: tuple[Run, ...]
    optuna_trials: int
    sweep_seen_ended: int = 0

    def of_kind(self, kind: str) -> list[Run]:
        """Runs of one ``code.run_type``."""
        return [r for r in self.runs if r.tags.get("code.run_type") == kind]

    def summary(self) -> dict[str, int]:
        """The numbers the issue asks for, by name."""
        trials = self.of_kind("trial")
        numbers = Counter(t.tags.get("code.hpo.trial_number") for t in trials)
        sweeps = self.of_kind("sweep")
        sweep_end = max((s.end_time or 0 for s in sweeps), default=0)
        return {
            "sweeps": len(sweeps),
            "trial_runs": len(trials),
            "optuna_trials": self.optuna_trials,
            "duplicated_trials": sum(1 for n in numbers.values() if n > 1),
            "interrupted": sum(1 for r in self.runs if r.tags.get("code.interrupted")),
            "killed": sum(1 for r in self.runs if r.status is RunStatus.KILLED),
            "running": sum(1 for r in self.runs if r.status is RunStatus.RUNNING),
            "runs_ending_after_sweep": sum(
                1 for r in self.runs if r.end_time and sweep_end and r.end_time > sweep_end
            ),
            "sweep_seen_ended_mid_trial": self.sweep_seen_ended,
        }


def record(tracking: TrackingPort, fleet: Fleet) -> Record:
    """Active runs of the fleet's experiment, and the number of trials Optuna stored."""
    import optuna

    experiment = tracking.get_experiment_by_name(fleet.experiment)
    assert experiment is not None, "no worker created the experiment"
    query = RunQuery(experiment_ids=(experiment.experiment_id,))
    runs = tuple(
        r for r in tracking.search_runs(query).runs if r.tags.get("code.run_type") != "lease"
    )
    study = optuna.load_study(study_name=fleet.study, storage=fleet.storage)
    mark = "SWEEP-NOT-RUNNING-DURING-A-TRIAL"
    seen = sum(fleet.log(name, tail=0).count(mark) for name in fleet.processes)
    return Record(runs, len(study.trials), seen)


def running_fold_of(tracking: TrackingPort, fleet: Fleet, pid: int) -> Run | None:
    """A RUNNING fold run of the worker process ``pid`` (its worker id holds the pid)."""
    experiment = tracking.get_experiment_by_name(fleet.experiment)
    if experiment is None:
        return None
    query = RunQuery(
        experiment_ids=(experiment.experiment_id,),
        tags={"code.run_type": "fold"},
        statuses=frozenset({RunStatus.RUNNING}),
    )
    runs = tracking.search_runs(query).runs
    return next((r for r in runs if f"-{pid}-" in r.tags.get("code.worker_id", "")), None)


def wait_for_fold(tracking: TrackingPort, fleet: Fleet, name: str, timeout: float) -> Run:
    """Wait until worker ``name`` has a fold RUNNING (it is in the middle of a trial)."""
    pid = fleet.processes[name].pid
    deadline = time.monotonic() + timeout
    while (fold := running_fold_of(tracking, fleet, pid)) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"worker {name} never ran a fold:\n{fleet.log(name)}")
        time.sleep(0.1)
    return fold


def seconds_until_ended(tracking: TrackingPort, run_ids: list[str], timeout: float) -> float:
    """Seconds until none of ``run_ids`` is RUNNING any more."""
    started = time.monotonic()
    while any(tracking.get_run(r).status is RunStatus.RUNNING for r in run_ids):
        if time.monotonic() > started + timeout:
            raise RuntimeError(f"runs still RUNNING after {timeout} s: {run_ids}")
        time.sleep(0.1)
    return time.monotonic() - started
