"""Ending runs: status and tags together, and an honest answer about what happened.

This is the one place that ends runs. ``ended_by_outcome`` ends a run by how a ``with``
body ended (``RunCreation.scoped`` and the stage trackers use it): a complete run costs one
request (the status), any other outcome one batch of tags first (``domain.distributed.
outcomes``). ``RunLifecycle.end`` ends a run on request, reading it first.

The original returned True without writing the requested tags when a run had already ended
(so ``code.refit_error`` could be lost), and treated SCHEDULED as ended (W-11). Here the
tags are always written, a run that is RUNNING or SCHEDULED is ended, and a run that had
already ended keeps its status — the outcome says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from trackwright.domain.distributed.outcomes import RunOutcome, outcome_of
from trackwright.domain.errors import TagPolicyViolationError, TrackingError
from trackwright.domain.model import RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import RESERVED_KEYS, TagKeyRegistry
from trackwright.domain.tags.rules import tag_violations

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TerminationOutcome:
    """What ending a run did."""

    run_id: str
    previous_status: RunStatus
    final_status: RunStatus
    tags_written: tuple[str, ...]
    requested_status: RunStatus = RunStatus.FINISHED

    @property
    def status_changed(self) -> bool:
        """Whether this call changed the run's status."""
        return self.previous_status != self.final_status

    @property
    def matches_request(self) -> bool:
        """Whether the run now has the status that was asked for (set now or earlier)."""
        return self.final_status is self.requested_status


class RunLifecycle:
    """Ends runs through the port: one read, one batch of tags, one status change."""

    def __init__(self, tracking: TrackingPort) -> None:
        self._tracking = tracking

    def end(
        self,
        run_id: str,
        status: RunStatus = RunStatus.FINISHED,
        tags: Mapping[str, object] | None = None,
    ) -> TerminationOutcome:
        """Write ``tags``, then end the run with ``status`` unless it had already ended.

        Raises:
            TagPolicyViolationError: A tag breaks a rule or is reserved (before any call).
            TrackingError: The backend failed; nothing is hidden.
        """
        clean, problems = tag_violations(dict(tags or {}))
        problems += [
            f"tag {key!r} is reserved; it cannot be changed when ending a run"
            for key in sorted(RESERVED_KEYS & clean.keys())
        ]
        if problems:
            raise TagPolicyViolationError(problems)
        previous = self._tracking.get_run(run_id).status
        if clean:
            self._tracking.log_batch(run_id, tags=clean)
        final = previous
        if not previous.is_terminal:
            self._tracking.set_terminated(run_id, status)
            final = status
        elif previous != status:
            logger.info(
                "run %s had already ended %s; kept it, wrote %d tag(s)",
                run_id,
                previous.value,
                len(clean),
            )
        return TerminationOutcome(run_id, previous, final, tuple(sorted(clean)), status)

    def end_safely(
        self,
        run_id: str,
        status: RunStatus = RunStatus.FINISHED,
        tags: Mapping[str, object] | None = None,
    ) -> TerminationOutcome | None:
        """``end``, but a backend failure is logged at WARNING and answered with None."""
        try:
            return self.end(run_id, status, tags)
        except TrackingError as exc:
            logger.warning("could not end run %s as %s: %s", run_id, status.value, exc)
            return None


def end_with(tracking: TrackingPort, run_id: str, outcome: RunOutcome) -> None:
    """Write the outcome's tags (if any), then its status; no read."""
    if outcome.tags:
        tracking.log_batch(run_id, tags=outcome.tags)
    tracking.set_terminated(run_id, outcome.status)


@contextmanager
def ended_by_outcome(
    tracking: TrackingPort,
    run_id: str,
    registry: TagKeyRegistry,
    pruned: tuple[type[BaseException], ...] = (),
) -> Iterator[None]:
    """End ``run_id`` by how the body ends (see ``domain.distributed.outcomes``).

    The body's exception is re-raised unchanged; if ending the run fails too, that failure
    is logged and the body's exception still wins (the run then expires by its lease).
    """
    try:
        yield
    except BaseException as exc:
        outcome = outcome_of(exc, registry, pruned)
        try:
            end_with(tracking, run_id, outcome)
        except TrackingError as err:
            logger.error("run %s could not be marked %s: %s", run_id, outcome.status.value, err)
        raise
    end_with(tracking, run_id, outcome_of(None, registry))
