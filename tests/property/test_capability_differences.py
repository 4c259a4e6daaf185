"""Each declared difference between the fake and MLflow is real, and the only ones declared.

If MLflow changes so that a difference disappears, its test here fails and the declaration
(in ``adapters.memory.capabilities`` and the README) goes.
"""

from __future__ import annotations

import re

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.adapters.memory.capabilities import CAPABILITY_DIFFERENCES
from trackwright.domain.errors import TrackingInvalidValueError
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Metric

pytestmark = pytest.mark.sqlite


def test_the_declared_differences_are_these_four() -> None:
    assert sorted(CAPABILITY_DIFFERENCES) == [
        "atomic_batches",
        "fault_injection_and_call_counts",
        "generated_run_names",
        "page_tokens",
    ]
    assert all(len(reason) > 40 for reason in CAPABILITY_DIFFERENCES.values())


def test_atomic_batches_the_fake_writes_nothing_mlflow_keeps_earlier_chunks(
    sqlite_uri: str,
) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    kept = {}
    for backend in (InMemoryTracking(), MlflowTracking(sqlite_uri)):
        run = backend.create_run(backend.create_experiment("e"), "r", {})
        metrics = [Metric(f"m{i}", 1.0, timestamp=1) for i in range(1000)]
        with pytest.raises(TrackingInvalidValueError):
            backend.log_batch(run.run_id, metrics=[*metrics, Metric("bad!", 1.0, timestamp=1)])
        kept[type(backend).__name__] = len(backend.get_run(run.run_id).metrics)
    assert kept == {"InMemoryTracking": 0, "MlflowTracking": 1000}


def test_generated_run_names_differ_in_shape(sqlite_uri: str) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    fake, real = InMemoryTracking(), MlflowTracking(sqlite_uri)
    fake_name = fake.create_run(fake.create_experiment("e"), "", {}).name
    real_name = real.create_run(real.create_experiment("e"), "", {}).name
    assert re.fullmatch(r"run-[0-9a-f]{8}", fake_name)
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d+", real_name)


def test_page_tokens_are_valid_only_where_they_were_issued(sqlite_uri: str) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    backends = (InMemoryTracking(), MlflowTracking(sqlite_uri))
    tokens = []
    for backend in backends:
        experiment_id = backend.create_experiment("e")
        for i in range(3):
            backend.create_run(experiment_id, f"r{i}", {}, start_time=i + 1)
        query = RunQuery(experiment_ids=(experiment_id,), max_results=1)
        tokens.append((backend, experiment_id, backend.search_runs(query).next_page_token))
    for (backend, experiment_id, _), (_, _, foreign) in zip(tokens, reversed(tokens), strict=True):
        query = RunQuery(experiment_ids=(experiment_id,), max_results=1, page_token=foreign)
        with pytest.raises(TrackingInvalidValueError):
            backend.search_runs(query)
