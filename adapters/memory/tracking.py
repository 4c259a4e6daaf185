"""``InMemoryTracking``: the shipped fake of a tracking backend.

It behaves like MLflow's SQL store: 32-hex run ids, experiment ``"0"`` named ``Default``,
the same validation and errors, soft deletion, "latest metric" semantics, and the same
search ordering. The contract suite runs the same tests against it and MLflow. It counts
every port call (``calls``), so tests can assert round trips.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from trackwright.adapters.memory.faults import FaultingLock, FaultInjector
from trackwright.adapters.memory.records import RunRecord, RunTable
from trackwright.adapters.memory.search import search
from trackwright.adapters.memory.validation import (
    check_batch,
    check_experiment_name,
    check_run_id,
    experiment_not_found,
    invalid,
    stored_metric_value,
)
from trackwright.domain.errors import TrackingAlreadyExistsError, TrackingNotFoundError
from trackwright.domain.finding.query import RunPage, RunQuery
from trackwright.domain.model import Experiment, LifecycleStage, Metric, Run, RunStatus
from trackwright.domain.uris import redacted_uri
from trackwright.domain.values import check_text_values


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _newer(new: Metric, old: Metric) -> bool:
    """MLflow's "latest metric" rule: higher (step, timestamp, value) wins."""
    return (new.step, new.timestamp or 0, new.value) > (old.step, old.timestamp or 0, old.value)


class InMemoryTracking:
    """A thread-safe, dict-backed tracking backend that behaves like MLflow.

    Attributes:
        calls: How many times each port method was called.
        faults: Faults to inject into the next calls (see ``adapters.memory.faults``).
    """

    def __init__(self, tracking_uri: str = "memory://") -> None:
        self._uri = tracking_uri
        self.faults = FaultInjector()
        self._lock = FaultingLock(self.faults)
        self._experiments: dict[str, Experiment] = {"0": Experiment("0", "Default")}
        self._next_experiment_id = 1
        self._table = RunTable()
        self.calls: Counter[str] = Counter()

    @property
    def tracking_uri(self) -> str:
        """The URI this fake stands for, credentials removed."""
        return redacted_uri(self._uri)

    @property
    def call_count(self) -> int:
        """Total port calls so far."""
        return sum(self.calls.values())

    def reset_calls(self) -> None:
        """Start counting port calls from zero."""
        self.calls.clear()

    def _count(self, operation: str) -> None:
        self.calls[operation] += 1
        self.faults.before_call(operation)

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """See ``TrackingPort.get_experiment_by_name``."""
        with self._lock:
            self._count("get_experiment_by_name")
            return next((e for e in self._experiments.values() if e.name == name), None)

    def create_experiment(self, name: str) -> str:
        """See ``TrackingPort.create_experiment``."""
        with self._lock:
            self._count("create_experiment")
            check_experiment_name(name)
            if any(e.name == name for e in self._experiments.values()):
                raise TrackingAlreadyExistsError(
                    f"Experiment(name={name}) already exists.", operation="create_experiment"
                )
            experiment_id = str(self._next_experiment_id)
            self._next_experiment_id += 1
            self._experiments[experiment_id] = Experiment(experiment_id, name)
            return experiment_id

    def _experiment(self, operation: str, experiment_id: str) -> Experiment:
        found = self._experiments.get(experiment_id)
        if found is None:
            raise experiment_not_found(operation, experiment_id)
        return found

    def _set_stage(self, operation: str, experiment_id: str, stage: LifecycleStage) -> None:
        with self._lock:
            self._count(operation)
            found = self._experiment(operation, experiment_id)
            if found.lifecycle_stage is stage:
                raise experiment_not_found(operation, experiment_id)
            self._experiments[experiment_id] = replace(found, lifecycle_stage=stage)
            for record in self._table.in_experiment(experiment_id):
                record.lifecycle_stage = stage

    def delete_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort.delete_experiment`` (its runs are soft-deleted too, as in MLflow)."""
        self._set_stage("delete_experiment", experiment_id, LifecycleStage.DELETED)

    def restore_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort.restore_experiment`` (its runs are restored too, as in MLflow)."""
        self._set_stage("restore_experiment", experiment_id, LifecycleStage.ACTIVE)

    def create_run(
        self,
        experiment_id: str,
        run_name: str,
        tags: Mapping[str, str],
        start_time: int | None = None,
    ) -> Run:
        """See ``TrackingPort.create_run``."""
        with self._lock:
            self._count("create_run")
            experiment = self._experiment("create_run", experiment_id)
            if not experiment.is_active:
                raise invalid(
                    "create_run",
                    f"The experiment {experiment_id} must be in the 'active' state. "
                    "Current state is deleted.",
                )
            check_text_values("tag", tags, "create_run")
            stored = dict(tags)
            tag_name = stored.get("mlflow.runName")
            if run_name and tag_name and run_name != tag_name:
                raise invalid(
                    "create_run",
                    "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
                    f"different values (run_name='{run_name}', mlflow.runName='{tag_name}').",
                )
            name = run_name or tag_name or f"run-{uuid.uuid4().hex[:8]}"
            stored.setdefault("mlflow.runName", name)
            record = RunRecord(
                run_id=uuid.uuid4().hex,
                experiment_id=experiment_id,
                name=name,
                status=RunStatus.RUNNING,
                start_time=start_time or _now_ms(),  # MLflow treats 0 as "now" too
                tags=stored,
            )
            self._table.add(record)
            return record.snapshot()

    def _record(self, operation: str, run_id: str) -> RunRecord:
        check_run_id(operation, run_id)
        record = self._table.runs.get(run_id)
        if record is None:
            raise TrackingNotFoundError(f"Run with id={run_id} not found", operation=operation)
        return record

    def _active_record(self, operation: str, run_id: str) -> RunRecord:
        record = self._record(operation, run_id)
        if record.lifecycle_stage is not LifecycleStage.ACTIVE:
            raise invalid(
                operation,
                f"The run {run_id} must be in the 'active' state. Current state is deleted.",
            )
        return record

    def get_run(self, run_id: str) -> Run:
        """See ``TrackingPort.get_run``."""
        with self._lock:
            self._count("get_run")
            return self._record("get_run", run_id).snapshot()

    def log_batch(
        self,
        run_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        metrics: Sequence[Metric] = (),
    ) -> None:
        """See ``TrackingPort.log_batch``; an empty batch is a no-op, as in ``MlflowClient``."""
        with self._lock:
            self._count("log_batch")
            if not (tags or params or metrics):
                return
            check_run_id("log_batch", run_id)
            clean_tags, clean_params = check_batch(tags or {}, params or {}, metrics)
            record = self._active_record("log_batch", run_id)
            params = record.params if record.params is not None else {}
            for key, value in clean_params.items():
                old = params.get(key)
                if old is not None and old != value:
                    raise invalid(
                        "log_batch",
                        f"Changing param values is not allowed. Param with key='{key}' was "
                        f"already logged with value='{old}' for run ID='{run_id}'. Attempted "
                        f"logging new value '{value}'.",
                    )
            if clean_params:
                record.params = {**params, **clean_params}
            self._table.set_tags(record, clean_tags)
            now = _now_ms()  # one timestamp per batch, as the MLflow adapter stamps it
            for metric in metrics:
                stamped = metric.timestamp if metric.timestamp is not None else now
                self._update_latest(
                    record,
                    replace(metric, value=stored_metric_value(metric.value), timestamp=stamped),
                )

    @staticmethod
    def _update_latest(record: RunRecord, metric: Metric) -> None:
        stamped = metric if metric.timestamp is not None else replace(metric, timestamp=_now_ms())
        if record.latest is None:
            record.latest = {}
        old = record.latest.get(metric.key)
        if old is None or _newer(stamped, old):
            record.latest[metric.key] = stamped

    def set_terminated(self, run_id: str, status: RunStatus, end_time: int | None = None) -> None:
        """See ``TrackingPort.set_terminated``."""
        with self._lock:
            self._count("set_terminated")
            record = self._active_record("set_terminated", run_id)
            record.status = RunStatus(status)
            record.end_time = end_time if end_time is not None else _now_ms()

    def search_runs(self, query: RunQuery) -> RunPage:
        """See ``TrackingPort.search_runs``."""
        with self._lock:
            self._count("search_runs")
            page = search([r.view() for r in self._table.candidates(query)], query)
            runs = tuple(self._table.runs[r.run_id].snapshot() for r in page.runs)
        return RunPage(runs, page.next_page_token)

    def delete_run(self, run_id: str) -> None:
        """See ``TrackingPort.delete_run``."""
        with self._lock:
            self._count("delete_run")
            self._record("delete_run", run_id).lifecycle_stage = LifecycleStage.DELETED
