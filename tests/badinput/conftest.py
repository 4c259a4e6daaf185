"""Running the installed ``trackwright`` command as a user would: a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from trackwright.application import Container
from trackwright.domain.finding.query import RunQuery

PASSWORD = "hunter2"


@dataclass(frozen=True)
class Finished:
    """A finished command: exit code, both streams and how long it took."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    def assert_one_clean_line(self) -> None:
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("trackwright: "), self.stderr
        assert "Traceback" not in self.stderr and PASSWORD not in self.stderr + self.stdout


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., Finished]:
    """Run ``trackwright ARGS`` in an empty folder with a clean environment."""
    command = Path(sys.executable).with_name("trackwright")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "TRACKWRIGHT_"))}
    work = tmp_path / "cwd"
    work.mkdir()

    def run(*args: str, **extra_env: str) -> Finished:
        started = time.monotonic()
        done = subprocess.run(
            [str(command), *args],
            cwd=work,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Finished(done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    return run


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its content (None for folders)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(params=["memory", pytest.param("sqlite", marks=pytest.mark.sqlite)])
def store(request: pytest.FixtureRequest) -> Iterator[Container]:
    """A fresh container on the fake, then on MLflow's sqlite store."""
    from trackwright.application import TrackwrightSettings, build_container, use_container

    built = build_container(TrackwrightSettings(backend="memory", retry_initial_wait=0))
    if request.param == "sqlite":
        from trackwright.adapters.mlflow_store import MlflowTracking

        built.backend.override(MlflowTracking(request.getfixturevalue("sqlite_uri")))
    use_container(built)
    yield built
    use_container(None)


def every_run(container: Container) -> list[tuple[str, str, str]]:
    """Every run of every experiment the test made (deleted ones too), as comparable rows."""
    tracking = container.tracking()
    rows = []
    for name in ("exp", "exp-b", "gone"):
        found = tracking.get_experiment_by_name(name)
        if found is None:
            continue
        query = RunQuery(experiment_ids=(found.experiment_id,), lifecycle="all")
        for run in tracking.search_runs(query).runs:
            rows.append((run.run_id, run.lifecycle_stage.value, repr(sorted(run.tags.items()))))
    return sorted(rows)
