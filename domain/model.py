"""Value objects: experiments, runs, statuses and the kinds of run trackwright records."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class RunStatus(StrEnum):
    """The status of a run, spelled as MLflow spells it."""

    RUNNING = "RUNNING"
    SCHEDULED = "SCHEDULED"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"

    @property
    def is_terminal(self) -> bool:
        """Whether the run has ended (FINISHED, FAILED or KILLED)."""
        return self in _TERMINAL


_TERMINAL = frozenset({RunStatus.FINISHED, RunStatus.FAILED, RunStatus.KILLED})


class LifecycleStage(StrEnum):
    """Whether an experiment or run is active or soft-deleted."""

    ACTIVE = "active"
    DELETED = "deleted"


class RunKind(StrEnum):
    """The kinds of run a training application records."""

    SWEEP = "sweep"
    TRIAL = "trial"
    FOLD = "fold"
    REFIT = "refit"
    FINAL_TRAINING = "final_training"
    BENCHMARK = "benchmark"
    CONVERSION = "conversion"


RUN_ID_PATTERN = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")
"""What MLflow accepts as a run id: its 32-hex ids and dashed UUIDs (Azure ML) alike."""


def looks_like_run_id(value: object) -> bool:
    """Whether ``value`` has the shape of a run id (it may still not exist)."""
    return isinstance(value, str) and RUN_ID_PATTERN.match(value) is not None


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Experiment:
    """An experiment: the container of runs."""

    experiment_id: str
    name: str
    lifecycle_stage: LifecycleStage = LifecycleStage.ACTIVE
    tags: Mapping[str, str] = field(default_factory=lambda: _frozen(None))

    @property
    def is_active(self) -> bool:
        """Whether the experiment is active (not deleted)."""
        return self.lifecycle_stage is LifecycleStage.ACTIVE


@dataclass(frozen=True, slots=True)
class RunRef:
    """A run whose experiment is known: enough to create a child without a lookup."""

    run_id: str
    experiment_id: str


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric value at one step; a None timestamp means "now" to the backend."""

    key: str
    value: float
    step: int = 0
    timestamp: int | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """A run as the tracking backend stores it.

    ``metrics`` holds the latest value of each metric key (MLflow's "latest metric":
    highest step, then latest timestamp, then largest value).
    """

    run_id: str
    experiment_id: str
    name: str
    status: RunStatus
    start_time: int
    end_time: int | None = None
    lifecycle_stage: LifecycleStage = LifecycleStage.ACTIVE
    tags: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    params: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    metrics: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def ref(self) -> RunRef:
        """This run as a reference (run id and experiment id)."""
        return RunRef(self.run_id, self.experiment_id)

    @property
    def parent_run_id(self) -> str | None:
        """The ``mlflow.parentRunId`` tag, if the run is a child run."""
        return self.tags.get("mlflow.parentRunId")
