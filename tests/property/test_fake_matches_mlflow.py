"""Differential property test: random operation sequences look the same on the fake and MLflow.

The MLflow side is the SQL store on one migrated sqlite database for the whole test; each
example works in experiments of its own, so examples cannot see each other. Set
``TRACKWRIGHT_HYPOTHESIS_EXAMPLES`` for longer runs (default 200).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.property.differential import Differential
from tests.property.operations import Operation, sequences
from trackwright.adapters.memory import InMemoryTracking
from trackwright.domain.ports import TrackingPort

EXAMPLES = int(os.environ.get("TRACKWRIGHT_HYPOTHESIS_EXAMPLES", "200"))

pytestmark = pytest.mark.sqlite


@pytest.fixture(scope="module")
def mlflow_on_sqlite(
    migrated_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> TrackingPort:
    from trackwright.adapters.mlflow_store import MlflowTracking

    target = tmp_path_factory.mktemp("differential") / "mlflow.db"
    shutil.copyfile(migrated_sqlite_template, target)
    return MlflowTracking(f"sqlite:///{target}")


def _check(real: TrackingPort, operations: list[Operation]) -> None:
    differential = Differential(InMemoryTracking(), real, f"prop-{uuid.uuid4().hex[:10]}")
    history: list[Any] = []
    for step, operation in enumerate(operations):
        observed = differential.apply(operation)
        if observed is None:
            continue
        history.append((operation[0], observed[0][0]))
        fake, mlflow = observed
        assert fake == mlflow, (
            f"step {step} {operation!r} differs\n  fake:   {fake!r}\n  mlflow: {mlflow!r}\n"
            f"  after: {history[:-1]!r}"
        )
    for fake, mlflow in differential.snapshot():
        assert fake == mlflow, f"final state differs\n  fake:   {fake!r}\n  mlflow: {mlflow!r}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(operations=sequences)
def test_random_operation_sequences_look_the_same_on_the_fake_and_mlflow(
    mlflow_on_sqlite: TrackingPort, operations: list[Operation]
) -> None:
    _check(mlflow_on_sqlite, operations)
