"""Running the installed ``trackwright`` command as a user would: a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

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
