"""HTTP requests and wall time of one HPO sweep, five ways, against a live ``mlflow server``.

Starts ``mlflow server`` on 127.0.0.1 (sqlite store, one worker; the test suite's
``tests/live_server/server.py``) and a counting proxy in front of it
(``tests/counting_proxy.py``), then runs the sweep of ``sweep_variants.py`` (parent,
N trials x 3 folds) through:

  trackers  the stage trackers (README Quickstart)
  seed      the seed-compatible functions (a migrating user's path)
  raw       a careful raw ``MlflowClient`` (create with tags, one batch, set_terminated)
  raw-tagged  the same client writing the trackers' tags (the same keys and value sizes)
  fluent    MLflow's fluent API

Requests are counted through the proxy (one counted round; counts do not depend on the
machine). Wall times come from ``--rounds`` further rounds straight to the server, the
variants interleaved in a rotating order; the time ratio is the median of per-round ratios
to ``raw``. Lines the variant wrote to stdout are counted too.

Then, for the trackers: re-running a finished sweep (warm local index, and a cold one as
on another machine) at each ``--rerun`` size, and resuming a sweep whose worker was killed
(``os._exit``) halfway.

Run: ``.venv/bin/python benchmarks/sweep_requests.py [--trials N] [--rounds R]
[--rerun 20,200] [--resume N] [--large-rerun 2000]`` (prints tables; asserts nothing).
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.counting_proxy import CountingProxy, is_read  # noqa: E402
from tests.live_server.server import LiveMlflowServer, without_proxies  # noqa: E402

Variant = Callable[[str, str, int, Path], None]


def variants() -> dict[str, Variant]:
    """The five variants (imported late: importing mlflow is slow)."""
    import sweep_variants as v

    return {
        "trackers": v.trackers,
        "seed": v.seed,
        "raw": v.raw,
        "raw-tagged": v.raw_tagged,
        "fluent": v.fluent,
    }


def run_once(variant: Variant, uri: str, n: int, folder: Path) -> tuple[str, float, int]:
    """The experiment it used, seconds it took, and lines it wrote to stdout."""
    name = f"bench-{uuid.uuid4().hex[:12]}"
    print(f"[{time.strftime('%H:%M:%S')}] {variant.__name__} N={n} on {uri}", file=sys.stderr)
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        variant(uri, name, n, folder / f"{name}.sqlite3")
    return name, time.perf_counter() - started, len(out.getvalue().splitlines())


def short(counts: Counter[str]) -> str:
    """``create 801, log-batch 1000, ...``: the endpoints, most requested first."""
    return ", ".join(f"{k.rsplit('/mlflow/', 1)[-1]} {n}" for k, n in counts.most_common())


Built = dict[int, tuple[str, Path]]


def counted_sweeps(proxy: CountingProxy, n: int, names: list[str], folder: Path) -> Built:
    """One counted round through the proxy: requests, per run, vs raw, stdout lines.

    Returns the trackers' finished sweep (experiment name, index file) for the re-runs.
    """
    runs = 1 + n * 4
    chosen = {k: v for k, v in variants().items() if k in names or k == "raw"}
    counted: dict[str, tuple[Counter[str], int, float]] = {}
    built: Built = {}
    for label, variant in chosen.items():
        proxy.reset()
        name, seconds, lines = run_once(variant, proxy.uri, n, folder)
        counted[label] = (proxy.reset(), lines, seconds)
        if label == "trackers":
            built[n] = (name, folder / f"{name}.sqlite3")
    base = sum(counted["raw"][0].values())
    print(f"\nFresh sweep, N = {n} trials x 3 folds + parent = {runs} runs (counted)")
    print(f"{'variant':<9}{'requests':>9}{'per run':>8}{'vs raw':>8}{'stdout':>7}", end="")
    print(f"{'s (proxy)':>10}  endpoints")
    for label, (counts, lines, seconds) in counted.items():
        total = sum(counts.values())
        print(f"{label:<9}{total:>9}{total / runs:>8.3f}{total / base:>7.3f}x{lines:>7}", end="")
        print(f"{seconds:>10.1f}  {short(counts)}", flush=True)
    return built


def timed_sweeps(server: LiveMlflowServer, n: int, rounds: int, names: list[str]) -> None:
    """Interleaved rounds straight to the server: median seconds, median paired ratio."""
    chosen = {k: v for k, v in variants().items() if k in names or k == "raw"}
    folder = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    times: dict[str, list[float]] = {label: [] for label in chosen}
    labels = list(chosen)
    for r in range(rounds):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            times[label].append(run_once(chosen[label], server.uri, n, folder)[1])
    print(f"\nWall time, N = {n}: {rounds} interleaved rounds straight to the server")
    print(f"{'variant':<9}{'median s':>9}{'vs raw (median of paired ratios)':>34}  per round")
    for label in labels:
        ratio = _paired(times[label], times["raw"])
        rounds_s = " ".join(f"{t:.1f}" for t in times[label])
        print(f"{label:<9}{statistics.median(times[label]):>9.2f}{ratio:>33.3f}x  {rounds_s}")
    if "raw-tagged" in times and "trackers" in times:  # the same record, written raw
        ratio = _paired(times["trackers"], times["raw-tagged"])
        print(f"trackers vs raw-tagged (median of paired ratios): {ratio:.3f}x")
    shutil.rmtree(folder, ignore_errors=True)


def _paired(mine: list[float], raw: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(mine, raw, strict=True))


def reruns(proxy: CountingProxy, sizes: list[int], built: Built) -> None:
    """Re-running a finished sweep through the trackers: requests and writes.

    Sweeps are built through the proxy too, so the warm index is keyed by the same URI.
    """
    import sweep_variants as v

    folder = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    print("\nRe-running a finished sweep (stage trackers)")
    print(f"{'N':>6}{'index':>7}{'requests':>9}{'writes':>7}{'seconds':>8}  endpoints")
    for n in sizes:
        name, index = built.get(n, (f"rerun-{n}-{uuid.uuid4().hex[:8]}", folder / f"{n}.sqlite3"))
        if n not in built:
            v.trackers(proxy.uri, name, n, index)
        for label, used in (("warm", index), ("cold", folder / f"{n}-cold.sqlite3")):
            proxy.reset()
            started = time.perf_counter()
            v.trackers(proxy.uri, name, n, used)
            elapsed = time.perf_counter() - started
            counts = proxy.reset()
            writes = sum(c for k, c in counts.items() if not is_read(k))
            total = sum(counts.values())
            print(f"{n:>6}{label:>7}{total:>9}{writes:>7}{elapsed:>8.2f}  {short(counts)}")
    shutil.rmtree(folder, ignore_errors=True)


def large_rerun(n: int) -> None:
    """Re-running a finished sweep of ``n`` trials, built straight in a sqlite store.

    Building 4n + 1 runs through a loaded server takes long; the same trackers write the
    same runs to the store's file directly, then a second server on that file answers
    the re-run, counted through a proxy. The local index of the build is keyed by the
    file's URI, so the re-run starts with a cold index (as on another machine).
    """
    import sweep_variants as v

    folder = Path(tempfile.mkdtemp(prefix="tw-bench-large-"))
    name = f"rerun-{n}-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    v.trackers(f"sqlite:///{folder / 'mlflow.db'}", name, n, folder / "build.sqlite3")
    built = time.perf_counter() - started
    server = LiveMlflowServer(folder)
    server.start()
    try:
        server.wait_until_ready()
        proxy = CountingProxy(f"127.0.0.1:{server.port}")
        started = time.perf_counter()
        v.trackers(proxy.uri, name, n, folder / "cold.sqlite3")
        elapsed, counts = time.perf_counter() - started, proxy.reset()
        proxy.stop()
    finally:
        server.stop()
    writes = sum(c for k, c in counts.items() if not is_read(k))
    print(f"{n:>6}{'cold':>7}{sum(counts.values()):>9}{writes:>7}{elapsed:>8.2f}  {short(counts)}")
    print(f"(N = {n}: {4 * n + 1} runs built in the store's file in {built:.0f} s)")
    shutil.rmtree(folder, ignore_errors=True)


def resume(server: LiveMlflowServer, proxy: CountingProxy, n: int) -> None:
    """A worker killed in trial n/2's second fold, then the sweep run again."""
    import sweep_variants as v

    folder = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    name, index, crash = f"resume-{uuid.uuid4().hex[:8]}", folder / "index.sqlite3", n // 2
    code = (
        "import sys; sys.path.insert(0, 'benchmarks'); import sweep_variants as v; "
        f"v.trackers({server.uri!r}, {name!r}, {n}, __import__('pathlib').Path({str(index)!r}),"
        f" crash_at={crash})"
    )
    died = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode
    proxy.reset()
    started = time.perf_counter()
    v.trackers(proxy.uri, name, n, index)
    elapsed, counts = time.perf_counter() - started, proxy.reset()
    writes = sum(c for k, c in counts.items() if not is_read(k))
    left = (n - crash) * 4 + 1
    print(f"\nResuming a sweep of N = {n} killed in trial {crash} (exit {died}), {elapsed:.1f} s:")
    print(f"  {sum(counts.values())} requests, {writes} writes ({short(counts)})")
    print(f"  unfinished stages: {left} (trials {crash}..{n - 1} with their folds, the parent)")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Start the server and the proxy, run the chosen measurements, stop both."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=1, help="0: no counted round")
    parser.add_argument("--time-trials", type=int, default=0, help="N of the timed rounds")
    parser.add_argument(
        "--variants", default="trackers,seed,raw,raw-tagged,fluent", help="raw always runs"
    )
    parser.add_argument("--rerun", default="20,200", help="sizes, comma-separated; '' for none")
    parser.add_argument("--resume", type=int, default=200)
    parser.add_argument("--large-rerun", type=int, default=0, help="e.g. 2000 (built in sqlite)")
    args = parser.parse_args()
    faulthandler.register(signal.SIGUSR1)  # kill -USR1 <pid> prints where it is
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out
    environment = without_proxies(dict(os.environ)) | {"MLFLOW_DISABLE_TELEMETRY": "true"}
    os.environ.clear()
    os.environ.update(environment)
    server = LiveMlflowServer(Path(tempfile.mkdtemp(prefix="tw-bench-server-")))
    server.start()
    folder = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    try:
        print(f"mlflow server answered {server.wait_until_ready():.1f} s after launch")
        proxy = CountingProxy(f"127.0.0.1:{server.port}")
        os.chdir(folder)  # the variants' default files (run name counter) land here
        names = args.variants.split(",")
        built = counted_sweeps(proxy, args.trials, names, folder) if args.count else {}
        if args.rerun:
            reruns(proxy, [int(s) for s in args.rerun.split(",")], built)
        if args.resume:
            resume(server, proxy, args.resume)
        if args.rounds:
            timed_sweeps(server, args.time_trials or args.trials, args.rounds, names)
        if args.large_rerun:
            large_rerun(args.large_rerun)
        proxy.stop()
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
