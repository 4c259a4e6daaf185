"""Helpers: several in-process "workers" (each its own container and lease) on one backend."""

from __future__ import annotations

import threading

from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import Container, TrackwrightSettings, build_container
from trackwright.application.trackers import SweepTracker
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run, RunKind
from trackwright.domain.ports import TrackingPort
from trackwright.domain.stage_context import StageContext

STUDY = "a1" * 32
FAST = {"heartbeat_interval": 0.1, "grace_period": 0.5, "sweep_settle_seconds": 0.05}


def worker(tracking: TrackingPort, **overrides: object) -> Container:
    """A container of its own (own lease, own run index) on the shared ``tracking``."""
    settings = TrackwrightSettings.model_validate({"backend": "memory", **FAST, **overrides})
    container = build_container(settings)
    container.backend.override(tracking)
    return container


def tracker(container: Container, experiment_id: str) -> SweepTracker:
    """The documented sweep tracker of a worker."""
    base = StageContext(kind=RunKind.SWEEP, model="bert")
    return SweepTracker(container.stage_runs(), experiment_id, base)


def runs_of(tracking: TrackingPort, experiment_id: str, kind: str) -> list[Run]:
    """Active runs of one kind (``code.run_type``) in the experiment."""
    query = RunQuery(experiment_ids=(experiment_id,), tags={"code.run_type": kind})
    return list(tracking.search_runs(query).runs)


def heartbeat_threads() -> list[threading.Thread]:
    """Heartbeat threads alive in this process."""
    return [t for t in threading.enumerate() if t.name == "trackwright-heartbeat"]


def shared_fake() -> tuple[InMemoryTracking, str]:
    """A fake with one experiment."""
    fake = InMemoryTracking()
    return fake, fake.create_experiment("hpo")
