"""An example trackwright backend: experiments and runs in one SQLite file (stdlib sqlite3).

It implements ``TrackingPort`` and reuses the MLflow semantics trackwright ships with its
in-memory fake (validation, search order, page tokens), so what it adds is storage.
Registered under the entry-point group ``trackwright.backends`` as ``sqlite-runs``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
from trackwright.domain.values import check_text_values

_SCHEMA = """
CREATE TABLE IF NOT EXISTS experiments (
    experiment_id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, stage TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, experiment_id TEXT NOT NULL, body TEXT NOT NULL);
INSERT OR IGNORE INTO experiments VALUES (0, 'Default', 'active');
"""


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def open_tracking(settings: Any) -> SqliteRunsTracking:
    """The entry point's factory: the file from the settings' URI or the environment."""
    uri = settings.tracking_uri or ""
    path = uri.removeprefix("sqlite-runs://") or os.environ.get(
        "TRACKWRIGHT_EXAMPLE_SQLITE_FILE", "runs.db"
    )
    return SqliteRunsTracking(Path(path))


class SqliteRunsTracking:
    """A ``TrackingPort`` over one SQLite file; every call is one transaction."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        db = sqlite3.connect(self._path, timeout=30)
        try:
            db.executescript(_SCHEMA)  # its own transaction: executescript commits first
        finally:
            db.close()

    @property
    def tracking_uri(self) -> str:
        """``sqlite-runs://<path>``."""
        return f"sqlite-runs://{self._path}"

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self._path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """See ``TrackingPort``."""
        with self._tx() as db:
            row = db.execute("SELECT * FROM experiments WHERE name = ?", (name,)).fetchone()
        return None if row is None else Experiment(str(row[0]), row[1], LifecycleStage(row[2]))

    def create_experiment(self, name: str) -> str:
        """See ``TrackingPort``."""
        check_experiment_name(name)
        with self._tx() as db:
            try:
                cursor = db.execute("INSERT INTO experiments VALUES (NULL, ?, 'active')", (name,))
            except sqlite3.IntegrityError:
                raise TrackingAlreadyExistsError(
                    f"Experiment(name={name}) already exists.", operation="create_experiment"
                ) from None
            return str(cursor.lastrowid)

    def _stage_of(self, db: sqlite3.Connection, operation: str, experiment_id: str) -> str:
        row = db.execute(
            "SELECT stage FROM experiments WHERE experiment_id = ?", (experiment_id,)
        ).fetchone()
        if row is None:
            raise experiment_not_found(operation, experiment_id)
        return str(row[0])

    def _set_stage(self, operation: str, experiment_id: str, stage: LifecycleStage) -> None:
        with self._tx() as db:
            if self._stage_of(db, operation, experiment_id) == stage.value:
                raise experiment_not_found(operation, experiment_id)
            db.execute(
                "UPDATE experiments SET stage = ? WHERE experiment_id = ?",
                (stage.value, experiment_id),
            )
            for run_id, body in self._bodies(db, experiment_id):
                self._save(db, run_id, experiment_id, {**body, "stage": stage.value})

    def delete_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort`` (its runs are soft-deleted too, as in MLflow)."""
        self._set_stage("delete_experiment", experiment_id, LifecycleStage.DELETED)

    def restore_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort`` (its runs are restored too, as in MLflow)."""
        self._set_stage("restore_experiment", experiment_id, LifecycleStage.ACTIVE)

    @staticmethod
    def _bodies(db: sqlite3.Connection, experiment_id: str | None = None) -> list[Any]:
        sql, args = "SELECT run_id, experiment_id, body FROM runs", ()
        if experiment_id is not None:
            sql, args = sql + " WHERE experiment_id = ?", (experiment_id,)
        return [(r[0], {**json.loads(r[2]), "experiment_id": r[1]}) for r in db.execute(sql, args)]

    @staticmethod
    def _save(db: sqlite3.Connection, run_id: str, experiment_id: str, body: Any) -> None:
        db.execute(
            "INSERT OR REPLACE INTO runs VALUES (?, ?, ?)",
            (run_id, experiment_id, json.dumps(body)),
        )

    def create_run(
        self,
        experiment_id: str,
        run_name: str,
        tags: Mapping[str, str],
        start_time: int | None = None,
    ) -> Run:
        """See ``TrackingPort``."""
        check_text_values("tag", tags, "create_run")
        stored = dict(tags)
        tag_name = stored.get("mlflow.runName")
        if run_name and tag_name and run_name != tag_name:
            raise invalid("create_run", "run_name and the mlflow.runName tag differ")
        name = run_name or tag_name or f"run-{uuid.uuid4().hex[:8]}"
        stored.setdefault("mlflow.runName", name)
        run_id = uuid.uuid4().hex
        body = {
            "name": name,
            "status": "RUNNING",
            "start_time": start_time or _now_ms(),
            "end_time": None,
            "stage": "active",
            "tags": stored,
            "params": {},
            "latest": {},
        }
        with self._tx() as db:
            if self._stage_of(db, "create_run", experiment_id) != "active":
                raise invalid("create_run", f"The experiment {experiment_id} is deleted.")
            self._save(db, run_id, experiment_id, body)
        return _run(run_id, {**body, "experiment_id": experiment_id})

    def _body(self, db: sqlite3.Connection, operation: str, run_id: str, active: bool) -> Any:
        check_run_id(operation, run_id)
        row = db.execute(
            "SELECT experiment_id, body FROM runs WHERE run_id = ?", (run_id,)
        ).fetchone()
        if row is None:
            raise TrackingNotFoundError(f"Run with id={run_id} not found", operation=operation)
        body = {**json.loads(row[1]), "experiment_id": row[0]}
        if active and body["stage"] != "active":
            raise invalid(operation, f"The run {run_id} must be in the 'active' state.")
        return body

    def get_run(self, run_id: str) -> Run:
        """See ``TrackingPort``."""
        with self._tx() as db:
            return _run(run_id, self._body(db, "get_run", run_id, active=False))

    def log_batch(
        self,
        run_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        metrics: Sequence[Metric] = (),
    ) -> None:
        """See ``TrackingPort``; an empty batch is a no-op."""
        if not (tags or params or metrics):
            return
        check_run_id("log_batch", run_id)
        clean_tags, clean_params = check_batch(tags or {}, params or {}, metrics)
        with self._tx() as db:
            body = self._body(db, "log_batch", run_id, active=True)
            for key, value in clean_params.items():
                if body["params"].get(key, value) != value:
                    raise invalid("log_batch", f"Changing param values is not allowed ({key}).")
            body["params"].update(clean_params)
            body["tags"].update(clean_tags)
            now = _now_ms()
            for m in metrics:
                new = [stored_metric_value(m.value), m.step, m.timestamp or now]
                old = body["latest"].get(m.key)
                if old is None or (new[1], new[2], new[0]) > (old[1], old[2], old[0]):
                    body["latest"][m.key] = new
            self._save(db, run_id, body["experiment_id"], body)

    def set_terminated(self, run_id: str, status: RunStatus, end_time: int | None = None) -> None:
        """See ``TrackingPort``."""
        with self._tx() as db:
            body = self._body(db, "set_terminated", run_id, active=True)
            body.update(status=RunStatus(status).value, end_time=end_time or _now_ms())
            self._save(db, run_id, body["experiment_id"], body)

    def search_runs(self, query: RunQuery) -> RunPage:
        """See ``TrackingPort``."""
        with self._tx() as db:
            runs = [
                _run(run_id, body)
                for e in query.experiment_ids
                for run_id, body in self._bodies(db, e)
            ]
        return search(runs, query)

    def delete_run(self, run_id: str) -> None:
        """See ``TrackingPort``."""
        with self._tx() as db:
            body = self._body(db, "delete_run", run_id, active=False)
            self._save(db, run_id, body["experiment_id"], {**body, "stage": "deleted"})


def _run(run_id: str, body: Any) -> Run:
    return Run(
        run_id=run_id,
        experiment_id=body["experiment_id"],
        name=body["name"],
        status=RunStatus(body["status"]),
        start_time=body["start_time"],
        end_time=body["end_time"],
        lifecycle_stage=LifecycleStage(body["stage"]),
        tags=dict(body["tags"]),
        params=dict(body["params"]),
        metrics={k: v[0] for k, v in body["latest"].items()},
    )
