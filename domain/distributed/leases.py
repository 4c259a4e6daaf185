"""Liveness by lease: which RUNNING runs are abandoned, decided from heartbeats alone.

Every worker process that opens runs keeps one *lease run* (``code.run_type=lease``) in the
experiment of its first run. Its ``code.lease.heartbeat_ms`` tag is rewritten once per
heartbeat interval, and it records the worker's interval and grace period. Every run the
worker opens carries ``code.worker_id`` and ``code.lease.run_id``. A RUNNING run is
abandoned only when its lease is expired: the lease run ended (its worker left without
ending the run) or its last heartbeat is older than the grace period the lease declares.

A RUNNING run that carries no lease (made by an older version or another tool) is never
abandoned: nothing says whether its writer is alive. It is taken over only when a worker
opens the same run key (see ``application.trackers.stage_runs``).

Clocks: heartbeats are wall-clock milliseconds of the writer, compared with the reader's
clock; the grace period must exceed the clock skew between machines (NTP keeps it far
below a second).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from trackwright.domain.errors import LeaseSettingsError
from trackwright.domain.model import LifecycleStage, Run, RunStatus
from trackwright.domain.tags.keys import TagKeyRegistry

LEASE_RUN_TYPE = "lease"
DEFAULT_HEARTBEAT_INTERVAL = 30.0
DEFAULT_GRACE_PERIOD = 120.0


@dataclass(frozen=True, slots=True)
class LeaseSettings:
    """How often a worker proves it is alive, and how long silence is tolerated.

    Attributes:
        heartbeat_interval: Seconds between two heartbeats (one request each).
        grace_period: Seconds after the last heartbeat before the worker's runs are
            abandoned; must exceed the interval (Optuna's default is twice the interval,
            here four: a heartbeat delayed by a slow request is not a dead worker).

    Raises:
        LeaseSettingsError: A value is negative, zero, not finite, or the interval is not
            shorter than the grace period.
    """

    heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL
    grace_period: float = DEFAULT_GRACE_PERIOD

    def __post_init__(self) -> None:
        problems = [
            f"{name} must be a positive number of seconds, got {value!r}"
            for name, value in (
                ("heartbeat_interval", self.heartbeat_interval),
                ("grace_period", self.grace_period),
            )
            if not _positive(value)
        ]
        if not problems and self.heartbeat_interval >= self.grace_period:
            problems.append(
                f"heartbeat_interval ({self.heartbeat_interval} s) must be shorter than "
                f"grace_period ({self.grace_period} s), or a live worker looks dead"
            )
        if problems:
            raise LeaseSettingsError("; ".join(problems))


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


class LeaseTags:
    """The lease tag keys, from the registry."""

    def __init__(self, registry: TagKeyRegistry) -> None:
        key = registry.key
        self.run_type = key("process", "run_type")
        self.worker_id = key("lease", "worker_id")
        self.lease_run_id = key("lease", "run_id")
        self.heartbeat = key("lease", "heartbeat_ms")
        self.interval = key("lease", "interval_s")
        self.grace = key("lease", "grace_s")
        self.member_prefix = key("lease", "sweep_member")
        self.interrupted = key("training", "interrupted")

    def lease_run(self, worker_id: str, settings: LeaseSettings, now_ms: int) -> dict[str, str]:
        """The tags a new lease run is created with (its first heartbeat included)."""
        return {
            self.run_type: LEASE_RUN_TYPE,
            self.worker_id: worker_id,
            self.heartbeat: str(now_ms),
            self.interval: str(settings.heartbeat_interval),
            self.grace: str(settings.grace_period),
        }

    def owned(self, worker_id: str, lease_run_id: str) -> dict[str, str]:
        """The tags of a run held under this lease."""
        return {self.worker_id: worker_id, self.lease_run_id: lease_run_id}

    def member_key(self, worker_id: str) -> str:
        """The sweep tag that lists this worker as a member (its value: lease run id)."""
        return f"{self.member_prefix}.{worker_id}"


def lease_expired(lease: Run | None, tags: LeaseTags, now_ms: int, default_grace: float) -> bool:
    """Whether the worker behind this lease run is gone.

    A missing, deleted or ended lease run is expired; a RUNNING one is expired when its
    last heartbeat is older than its declared grace period (``default_grace`` when it
    declares none or something unreadable).
    """
    if lease is None or lease.lifecycle_stage is LifecycleStage.DELETED:
        return True
    if lease.status is not RunStatus.RUNNING:
        return True
    beat = _number(lease.tags.get(tags.heartbeat))
    if beat is None:
        return True
    grace = _number(lease.tags.get(tags.grace)) or default_grace
    return now_ms - beat > grace * 1000


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def abandoned(
    run: Run, leases: Mapping[str, Run | None], tags: LeaseTags, now_ms: int, grace: float
) -> bool:
    """Whether ``run`` is RUNNING under a lease that has expired (no lease: never)."""
    lease_id = run.tags.get(tags.lease_run_id)
    if run.status is not RunStatus.RUNNING or not lease_id:
        return False
    return lease_expired(leases.get(lease_id), tags, now_ms, grace)
