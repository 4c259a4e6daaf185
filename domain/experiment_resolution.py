"""Experiment resolution: an ordered chain of strategies with a report of what was tried.

Default order (as the original): a known parent run, the experiment name, the active run's
experiment, then get-or-create by name. Each strategy either answers or says why it
missed; backend failures other than "not found" propagate instead of being swallowed
(the original logged and swallowed them, so "absent" and "backend down" looked alike).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from trackwright.domain.errors import ExperimentResolutionError, ParentRunNotFoundError
from trackwright.domain.experiment_directory import (
    MAX_EXPERIMENT_NAME_LENGTH,
    ExperimentDirectory,
    validated_experiment_name,
)
from trackwright.domain.model import RunRef
from trackwright.domain.parent_runs import parent_ref
from trackwright.domain.ports import TrackingPort

logger = logging.getLogger(__name__)
__all__ = [
    "MAX_EXPERIMENT_NAME_LENGTH",
    "ExperimentDirectory",
    "ExperimentResolver",
    "ResolutionReport",
    "ResolutionRequest",
    "default_chain",
    "parent_ref",
    "validated_experiment_name",
]


@dataclass(frozen=True, slots=True)
class ResolutionRequest:
    """What the caller knows about the experiment it wants."""

    experiment_name: str | None = None
    parent: RunRef | str | None = None
    active_experiment_id: str | None = None
    create_if_missing: bool = False


@dataclass(frozen=True, slots=True)
class ResolutionReport:
    """The outcome: the experiment id (or None) and every strategy tried, with why it missed."""

    experiment_id: str | None
    strategy_used: str | None
    attempts: tuple[tuple[str, str], ...] = field(default=())


class ResolutionStrategy(Protocol):
    """One way of finding the experiment; returns ``(id, None)`` or ``(None, why)``."""

    name: str

    def attempt(self, request: ResolutionRequest) -> tuple[str | None, str | None]:
        """Try to answer the request."""
        ...


class FromKnownParentRun:
    """The parent run's experiment (free for a ``RunRef``, one ``get_run`` for an id)."""

    name = "parent_run"

    def __init__(self, tracking: TrackingPort) -> None:
        self._tracking = tracking

    def attempt(self, request: ResolutionRequest) -> tuple[str | None, str | None]:
        """Answer from the parent run, if one was given and exists."""
        if request.parent is None:
            return None, "no parent run given"
        try:
            return parent_ref(self._tracking, request.parent).experiment_id, None
        except ParentRunNotFoundError as exc:
            return None, str(exc)


class ByName:
    """The existing active experiment with the requested name."""

    name = "experiment_name"

    def __init__(self, directory: ExperimentDirectory) -> None:
        self._directory = directory

    def attempt(self, request: ResolutionRequest) -> tuple[str | None, str | None]:
        """Answer from the name, if one was given and exists."""
        if request.experiment_name is None:
            return None, "no experiment name given"
        found = self._directory.find(request.experiment_name)
        if found is None:
            return None, f"no experiment named {request.experiment_name!r}"
        return found.experiment_id, None


class FromActiveRun:
    """The experiment of the caller's active run."""

    name = "active_run"

    def attempt(self, request: ResolutionRequest) -> tuple[str | None, str | None]:
        """Answer from the active run's experiment id, if the caller gave one."""
        if request.active_experiment_id is None:
            return None, "no active run"
        return request.active_experiment_id, None


class GetOrCreate:
    """Create the named experiment (race-safe)."""

    name = "get_or_create"

    def __init__(self, directory: ExperimentDirectory) -> None:
        self._directory = directory

    def attempt(self, request: ResolutionRequest) -> tuple[str | None, str | None]:
        """Create (or, after a lost race, read) the named experiment."""
        if request.experiment_name is None:
            return None, "no experiment name to create"
        if not request.create_if_missing:
            return None, "creation not requested"
        return self._directory.get_or_create(request.experiment_name), None


class ExperimentResolver:
    """Runs the strategy chain in order and reports what it tried."""

    def __init__(self, strategies: Sequence[ResolutionStrategy]) -> None:
        self._strategies = tuple(strategies)

    def resolve(self, request: ResolutionRequest) -> ResolutionReport:
        """The first strategy's answer, with the misses before it."""
        attempts: list[tuple[str, str]] = []
        for strategy in self._strategies:
            experiment_id, why = strategy.attempt(request)
            if experiment_id is not None:
                return ResolutionReport(experiment_id, strategy.name, tuple(attempts))
            attempts.append((strategy.name, why or "no answer"))
            logger.debug("experiment resolution: %s missed (%s)", strategy.name, why)
        return ResolutionReport(None, None, tuple(attempts))

    def require(self, request: ResolutionRequest) -> str:
        """The resolved experiment id.

        Raises:
            ExperimentResolutionError: No strategy answered; lists each miss.
        """
        report = self.resolve(request)
        if report.experiment_id is None:
            raise ExperimentResolutionError(report.attempts)
        return report.experiment_id


def default_chain(tracking: TrackingPort, directory: ExperimentDirectory) -> ExperimentResolver:
    """Parent run, then name, then active run, then get-or-create."""
    return ExperimentResolver(
        [FromKnownParentRun(tracking), ByName(directory), FromActiveRun(), GetOrCreate(directory)]
    )
