"""Every ```python block of the README runs as written, each in an empty folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_the_readme_python_block_runs_as_written_in_an_empty_folder(
    block: str, tmp_path: Path
) -> None:
    (tmp_path / "readme_block.py").write_text(block, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "TRACKWRIGHT_"))}
    done = subprocess.run(
        [sys.executable, "readme_block.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 2
