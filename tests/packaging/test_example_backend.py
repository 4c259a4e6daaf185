"""A third-party backend, installed through its entry point, passes the shipped suite."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.packaging.conftest import EXAMPLE_BACKEND, ScratchVenv, run


def test_the_example_backend_passes_the_shipped_contract_suite_from_its_own_folder(
    scratch_venv: ScratchVenv, tmp_path: Path
) -> None:
    source = tmp_path / "example_backend"
    shutil.copytree(
        EXAMPLE_BACKEND, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    )
    scratch_venv.install(source)
    out = run(
        [
            scratch_venv.python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            source,
            source / "tests",
        ],
        cwd=source,
        timeout=600,
    )
    assert " passed" in out and "failed" not in out and "error" not in out
