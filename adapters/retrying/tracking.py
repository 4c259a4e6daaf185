"""``RetryingTracking``: any tracking port, with only safe-to-repeat calls repeated.

What is repeated, and how:

- Reads (``get_experiment_by_name``, ``get_run``, ``search_runs``): as they are.
- ``log_batch``: as it is, after pinning every metric's missing timestamp once, so a
  repeat writes the same ``(key, value, step, timestamp)`` points. Tags and params are
  idempotent (a param logged again with the same value is accepted); MLflow's SQL store
  drops a metric point identical to one it has, so a repeat adds no history.
- ``set_terminated``: as it is, with the end time pinned once.
- ``delete_run``: as it is (deleting a deleted run is accepted).
- ``delete_experiment`` and ``restore_experiment``: only after a failure that says the
  request was not applied (unavailable, rate-limited); after a timeout a repeat would
  answer "not found" for the caller's own success, so the timeout is raised instead.
- ``create_experiment``: each repeat first reads the name; an active experiment of that
  name is the one the lost attempt created (or a concurrent creator's, which
  ``ExperimentDirectory`` treats the same way).
- ``create_run``: never blindly. The start time is pinned once, and each repeat first
  looks for the run the lost attempt may have made: same experiment, name and start
  time, and the same ``code.run_key_hash`` when the tags carry one, else the same tags.
  It creates only if there is none, so a lost answer never makes a second run. No tag is
  added: the run is exactly the run the caller asked for. (Two runs alike in experiment,
  name, tags and start millisecond are the same run to this lookup; a caller who passes
  one explicit ``start_time`` to several identical creates gets one run after a lost
  answer.)

On the happy path every call is exactly one call of the wrapped port.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

from trackwright.adapters.retrying.policy import RetryPolicy, was_not_applied
from trackwright.domain.finding.query import RunPage, RunQuery
from trackwright.domain.model import Experiment, Metric, Run, RunStatus
from trackwright.domain.ports import TrackingPort

RUN_KEY_TAG = "code.run_key_hash"
_LOOKUP_VALUE_LIMIT = 250
"""Longer tag values are left out of the lookup's filter (start time and name still match)."""


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class RetryingTracking:
    """Wraps a tracking port and repeats failed calls that are safe to repeat.

    Args:
        inner: The port to call.
        policy: Attempts and waits (default: 5 attempts, 0.2 s doubling up to 5 s).
        run_key_tag: The tag whose value identifies a logical run (the registry's
            ``grouping.run_key_hash``).
    """

    def __init__(
        self,
        inner: TrackingPort,
        policy: RetryPolicy | None = None,
        *,
        run_key_tag: str = RUN_KEY_TAG,
    ) -> None:
        self._inner = inner
        self._policy = policy or RetryPolicy()
        self._run_key_tag = run_key_tag

    @property
    def inner(self) -> TrackingPort:
        """The wrapped port."""
        return self._inner

    @property
    def tracking_uri(self) -> str:
        """The wrapped port's URI (without credentials)."""
        return self._inner.tracking_uri

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """See ``TrackingPort.get_experiment_by_name``; repeated as it is."""
        return self._policy.call(
            "get_experiment_by_name", lambda _: self._inner.get_experiment_by_name(name)
        )

    def create_experiment(self, name: str) -> str:
        """See ``TrackingPort.create_experiment``; a repeat first reads the name."""

        def attempt(number: int) -> str:
            if number > 1:
                found = self._inner.get_experiment_by_name(name)
                if found is not None and found.is_active:
                    return found.experiment_id
            return self._inner.create_experiment(name)

        return self._policy.call("create_experiment", attempt)

    def delete_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort.delete_experiment``; repeated only if surely not applied."""
        self._policy.call(
            "delete_experiment",
            lambda _: self._inner.delete_experiment(experiment_id),
            was_not_applied,
        )

    def restore_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort.restore_experiment``; repeated only if surely not applied."""
        self._policy.call(
            "restore_experiment",
            lambda _: self._inner.restore_experiment(experiment_id),
            was_not_applied,
        )

    def create_run(
        self,
        experiment_id: str,
        run_name: str,
        tags: Mapping[str, str],
        start_time: int | None = None,
    ) -> Run:
        """See ``TrackingPort.create_run``; a repeat first looks the run up by its key."""
        started = start_time or _now_ms()

        def attempt(number: int) -> Run:
            if number > 1:
                found = self._find_created(experiment_id, run_name, tags, started)
                if found is not None:
                    return found
            return self._inner.create_run(experiment_id, run_name, tags, started)

        return self._policy.call("create_run", attempt)

    def _find_created(
        self, experiment_id: str, run_name: str, tags: Mapping[str, str], started: int
    ) -> Run | None:
        """The run an earlier attempt of this create made, if any."""
        key = tags.get(self._run_key_tag)
        wanted = (
            {self._run_key_tag: key}
            if key is not None
            else {k: v for k, v in tags.items() if len(v) <= _LOOKUP_VALUE_LIMIT}
        )
        query = RunQuery(experiment_ids=(experiment_id,), tags=wanted, lifecycle="all")
        name = run_name or tags.get("mlflow.runName")
        return next(
            (
                run
                for run in self._inner.search_runs(query).runs
                if run.start_time == started and name in (None, "", run.name)
            ),
            None,
        )

    def get_run(self, run_id: str) -> Run:
        """See ``TrackingPort.get_run``; repeated as it is."""
        return self._policy.call("get_run", lambda _: self._inner.get_run(run_id))

    def log_batch(
        self,
        run_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        metrics: Sequence[Metric] = (),
    ) -> None:
        """See ``TrackingPort.log_batch``; repeated with the same metric timestamps."""
        now = _now_ms()
        pinned = [m if m.timestamp is not None else replace(m, timestamp=now) for m in metrics]
        self._policy.call(
            "log_batch",
            lambda _: self._inner.log_batch(run_id, tags=tags, params=params, metrics=pinned),
        )

    def set_terminated(self, run_id: str, status: RunStatus, end_time: int | None = None) -> None:
        """See ``TrackingPort.set_terminated``; repeated with the same end time."""
        ended = end_time if end_time is not None else _now_ms()
        self._policy.call(
            "set_terminated", lambda _: self._inner.set_terminated(run_id, status, ended)
        )

    def search_runs(self, query: RunQuery) -> RunPage:
        """See ``TrackingPort.search_runs``; repeated as it is."""
        return self._policy.call("search_runs", lambda _: self._inner.search_runs(query))

    def delete_run(self, run_id: str) -> None:
        """See ``TrackingPort.delete_run``; repeated as it is."""
        self._policy.call("delete_run", lambda _: self._inner.delete_run(run_id))
