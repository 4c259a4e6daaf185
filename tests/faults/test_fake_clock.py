"""The fake stamps a batch's metrics once, whatever its clock does during the batch."""

from __future__ import annotations

import itertools

import pytest

import trackwright.adapters.memory.tracking as fake_module
from trackwright.adapters.memory import InMemoryTracking
from trackwright.domain.model import Metric


def test_metrics_without_timestamps_in_one_batch_share_one_timestamp(
    fake: InMemoryTracking, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = itertools.count(1000)
    monkeypatch.setattr(fake_module, "_now_ms", lambda: next(ticks))
    run = fake.create_run(fake.create_experiment("e"), "r", {}, start_time=1)
    fake.log_batch(run.run_id, metrics=[Metric("m", 9.0, step=1), Metric("m", 1.0, step=1)])
    assert fake.get_run(run.run_id).metrics["m"] == 9.0
