"""Taking over a run an earlier attempt left unfinished (see ``trackers.stage_runs``)."""

from __future__ import annotations

import logging
import time

from trackwright.application.trackers.lease import WorkerLease
from trackwright.domain.model import Run, RunStatus
from trackwright.domain.ports import TrackingPort

logger = logging.getLogger(__name__)


def take_over(tracking: TrackingPort, lease: WorkerLease, run: Run, tags: dict[str, str]) -> None:
    """Bind ``run`` to this worker's lease and set it RUNNING again.

    A run found RUNNING (its lease expired, or it never had one) is tagged
    ``code.interrupted=true``: an attempt died in it.
    """
    logger.info("resuming run %s (%s), left %s", run.run_id, run.name, run.status.value)
    if run.status is RunStatus.RUNNING:
        tags = {**tags, lease.tags.interrupted: "true"}
    tracking.log_batch(run.run_id, tags=tags)
    if run.status is not RunStatus.RUNNING:
        tracking.set_terminated(run.run_id, RunStatus.RUNNING)


def wait_for_live_owner(tracking: TrackingPort, lease: WorkerLease, run: Run) -> Run:
    """``run`` as it is once no other live worker holds it.

    Waits while ``run`` is RUNNING under another worker's live lease: at most that lease's
    grace period plus one interval, polling once per interval. Returns early when the run
    ends meanwhile (its owner finished it).
    """
    owner = run.tags.get(lease.tags.lease_run_id)
    if run.status is not RunStatus.RUNNING or not owner or lease.owns(owner):
        return run
    settings, reaper = lease.settings, lease.reaper
    deadline = time.monotonic() + settings.grace_period + settings.heartbeat_interval
    while not reaper.expired(reaper.lease(owner)) and time.monotonic() < deadline:
        logger.info("run %s is held by live lease %s; waiting", run.run_id, owner)
        time.sleep(settings.heartbeat_interval)
        run = tracking.get_run(run.run_id)
        if run.status is not RunStatus.RUNNING:
            return run
    return run
