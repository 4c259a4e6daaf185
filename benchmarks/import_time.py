"""Start-up costs, as whole processes: importing the package, the CLI's help, the pytest plugin.

Each pair of commands runs in turn (A, B, A, B, ...) after one warm-up of each, so a drift
in the machine's speed hits both; the figure quoted is the median of the per-pair
differences A - B (what A adds to B), with the median of A alone beside it.

  import      python -c "import trackwright.application"  vs  python -c "pass"
  --help      trackwright --help                           vs  python -c "pass"
  plugin      pytest --collect-only on an empty folder, with the trackwright plugin vs
              with ``-p no:trackwright``

Run: ``.venv/bin/python benchmarks/import_time.py [pairs]`` (prints; asserts nothing).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def seconds(command: list[str], cwd: str) -> float:
    """Wall seconds of one run of ``command`` (its output discarded)."""
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - started


def paired(a: list[str], b: list[str], pairs: int, cwd: str) -> tuple[float, float, float]:
    """(median of A, median of B, median of A - B) over ``pairs`` interleaved pairs."""
    seconds(a, cwd), seconds(b, cwd)
    runs = [(seconds(a, cwd), seconds(b, cwd)) for _ in range(pairs)]
    return (
        statistics.median(x for x, _ in runs),
        statistics.median(y for _, y in runs),
        statistics.median(x - y for x, y in runs),
    )


def main(pairs: int = 11) -> None:
    """Print one row per pair of commands."""
    python = str(BIN / "python")
    bare = [python, "-c", "pass"]
    with tempfile.TemporaryDirectory() as empty:
        pytest = [python, "-m", "pytest", "--collect-only", "-q", "-c", "/dev/null", empty]
        rows = [
            (
                "import trackwright.application",
                [python, "-c", "import trackwright.application"],
                bare,
            ),
            ("trackwright --help", [str(BIN / "trackwright"), "--help"], bare),
            ("pytest plugin", [*pytest, "-p", "trackwright"], [*pytest, "-p", "no:trackwright"]),
        ]
        print(f"{'command (A)':<32}{'A median s':>11}{'B median s':>11}{'A - B median s':>15}")
        for label, a, b in rows:
            a_s, b_s, added = paired(a, b, pairs, empty)
            print(f"{label:<32}{a_s:>11.3f}{b_s:>11.3f}{added:>15.3f}")
    print(f"({pairs} interleaved pairs after a warm-up; B is the baseline of each row)")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:2]])
