"""Finding one run by its run key among 10,000: trackwright vs one raw ``search_runs``.

Builds an experiment of 10,000 real MLflow runs in a fresh sqlite store (inserted in one
transaction through MLflow's own SQLAlchemy store models, the rows ``create_run`` writes,
so building takes seconds instead of minutes), then times, per lookup of a distinct key:

  raw:   one ``MlflowClient.search_runs`` with ``tags.`code.run_key_hash` = '<hash>'``;
  cold:  ``RunFinder.find`` with an empty local index (index miss, then the tag search);
  warm:  ``RunFinder.find`` again for the same key (index hit, verified by ``get_run``).

Prints tracking calls per lookup, the median time of each over the repetitions, and the
ratio to raw. Run: ``.venv/bin/python benchmarks/find_by_key.py [runs] [repetitions]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlflow import MlflowClient
from mlflow.store.tracking.dbmodels.models import SqlRun, SqlTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.adapters.run_index import SqliteRunIndex
from trackwright.domain.finding.finder import RunFinder
from trackwright.domain.finding.lookup import FindRequest
from trackwright.domain.identity import run_key_hash
from trackwright.domain.tags.keys import TagKeyRegistry

KEY_TAG = "code.run_key_hash"


class Counting:
    """Counts the tracking-port calls that pass through it."""

    def __init__(self, inner: MlflowTracking) -> None:
        self._inner = inner
        self.calls: Counter[str] = Counter()

    @property
    def tracking_uri(self) -> str:
        """The wrapped store's URI."""
        return self._inner.tracking_uri

    def __getattr__(self, name: str) -> Callable[..., Any]:
        target = getattr(self._inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return target(*args, **kwargs)

        return counted


def key_of(i: int) -> str:
    """The run-key hash of the ``i``-th run."""
    return run_key_hash(f"hpo:bert:trial_{i}")


def build_store(folder: Path, runs: int) -> tuple[str, str]:
    """A sqlite store with one experiment of ``runs`` FINISHED runs; its URI and id."""
    uri = f"sqlite:///{folder / 'bench.db'}"
    experiment_id = MlflowClient(tracking_uri=uri).create_experiment("bench-find-by-key")
    store = SqlAlchemyStore(uri, str(folder / "artifacts"))
    location = store.get_experiment(experiment_id).artifact_location
    started = time.perf_counter()
    with store.ManagedSessionMaker() as session:
        for i in range(runs):
            run_id = uuid.uuid4().hex
            row = SqlRun(
                name=f"trial_{i}",
                artifact_uri=f"{location}/{run_id}/artifacts",
                run_uuid=run_id,
                experiment_id=int(experiment_id),
                source_type="UNKNOWN",
                source_name="",
                entry_point_name="",
                user_id="bench",
                status="FINISHED",
                start_time=1_700_000_000_000 + i,
                end_time=1_700_000_000_500 + i,
                deleted_time=None,
                source_version="",
                lifecycle_stage="active",
            )
            row.tags = [
                SqlTag(key="mlflow.runName", value=f"trial_{i}"),
                SqlTag(key=KEY_TAG, value=key_of(i)),
                SqlTag(key="code.stage", value="hpo"),
                SqlTag(key="code.model", value="bert"),
                SqlTag(key="code.trial_id", value=f"trial_{i}"),
            ]
            session.add(row)
    print(f"built {runs} runs in {time.perf_counter() - started:.1f} s")
    return uri, experiment_id


def median_ms(samples: list[float]) -> float:
    """The median of ``samples`` (seconds) in milliseconds."""
    return statistics.median(samples) * 1000


def main(runs: int = 10_000, repetitions: int = 15) -> None:
    """Build the store, time the three lookups, print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        uri, experiment_id = build_store(folder, runs)
        client = MlflowClient(tracking_uri=uri)
        counting = Counting(MlflowTracking(uri))
        finder = RunFinder(
            counting, SqliteRunIndex(folder / "index.sqlite3"), TagKeyRegistry.defaults()
        )
        wanted = [runs * (k + 1) // (repetitions + 1) for k in range(repetitions)]
        raw, cold, warm, calls = [], [], [], {"cold": Counter(), "warm": Counter()}
        for i in wanted:
            key = key_of(i)
            started = time.perf_counter()
            found = client.search_runs(
                [experiment_id], filter_string=f"tags.`{KEY_TAG}` = '{key}'", max_results=1
            )
            raw.append(time.perf_counter() - started)
            for phase, samples in (("cold", cold), ("warm", warm)):
                counting.calls.clear()
                started = time.perf_counter()
                report = finder.find(FindRequest(experiment_id, run_key_hash=key))
                samples.append(time.perf_counter() - started)
                calls[phase] += counting.calls
                assert report.run_id == found[0].info.run_id, (phase, report)
        base = median_ms(raw)
        print(f"experiment of {runs} runs, {repetitions} lookups of distinct keys, sqlite store")
        print(f"{'lookup':<46}{'calls/lookup':>14}{'median ms':>12}{'vs raw':>9}")
        rows = [
            ("raw MlflowClient.search_runs", "1 search_runs", raw),
            ("trackwright finder, cold index (tag search)", _per(calls["cold"], repetitions), cold),
            ("trackwright finder, warm index (get_run)", _per(calls["warm"], repetitions), warm),
        ]
        for label, made, samples in rows:
            ms = median_ms(samples)
            print(f"{label:<46}{made:>14}{ms:>12.2f}{ms / base:>8.2f}x")


def _per(counter: Counter[str], repetitions: int) -> str:
    return ", ".join(f"{n / repetitions:g} {name}" for name, n in sorted(counter.items()))


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    main(*arguments)
