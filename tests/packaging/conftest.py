"""Scratch virtual environments with trackwright installed from its wheel.

A scratch venv is cheap: ``venv --without-pip``, a ``.pth`` line that lends it the project
venv's site-packages for the dependencies (a ``.pth`` inside a lent folder is not run, so
the editable install stays out), and only the wheel installed, with ``--no-deps``, by the
project's own pip. Nothing is downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_BACKEND = Path(__file__).resolve().parent / "example_backend"
collect_ignore = ["example_backend"]


def run(args: Sequence[str | Path], cwd: Path, timeout: float = 300) -> str:
    """Run a command; its stdout, or a failure that shows both streams."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@dataclass(frozen=True)
class ScratchVenv:
    """A venv with only trackwright's wheel installed; dependencies lent by the project's."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def install(self, *targets: str | Path) -> None:
        pip = [sys.executable, "-m", "pip", "--python", self.python, "--disable-pip-version-check"]
        run(
            [*pip, "install", "-q", "--no-deps", "--no-index", "--no-build-isolation", *targets],
            self.root,
        )


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """trackwright's wheel, built from a copy of this checkout without build isolation."""
    source = tmp_path_factory.mktemp("source") / "trackwright"
    skip = shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "tests", "benchmarks")
    shutil.copytree(ROOT, source, ignore=skip)
    out = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    run([*pip, "--no-index", "-w", out, source], source)
    return next(out.glob("trackwright-*.whl"))


@pytest.fixture(scope="session")
def scratch_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> ScratchVenv:
    """A scratch venv with the wheel installed (shared by this folder's tests)."""
    venv = ScratchVenv(tmp_path_factory.mktemp("scratch") / "venv")
    run([sys.executable, "-m", "venv", "--without-pip", venv.root], venv.root.parent)
    site = run(
        [venv.python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], venv.root
    ).strip()
    (Path(site) / "_project_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    venv.install(wheel)
    return venv
