"""Experiment resolution: an ordered chain of strategies with a report of what was tried.

Default order (as the original): a known parent run, the experiment name, the active run's
experiment, then get-or-create by name. Each strategy either answers or says why it
missed; backend failures other than "not found" propagate instead of being swallowed
(the original logged and swallowed them, so "absent" and "backend down" looked alike).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from trackwright.domain.errors import (
    ExperimentDeletedError,
    ExperimentResolutionError,
    InvalidExperimentNameError,
    ParentRunNotFoundError,
    TrackingAlreadyExistsError,
    TrackingNotFoundError,
)
from trackwright.domain.model import Experiment, RunRef, looks_like_run_id
from trackwright.domain.ports import TrackingPort

logger = logging.getLogger(__name__)
MAX_EXPERIMENT_NAME_LENGTH = 500


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


def validated_experiment_name(name: object) -> str:
    """The experiment name, checked before any backend call.

    Raises:
        InvalidExperimentNameError: None, not a string, blank, or over 500 characters.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidExperimentNameError(f"experiment name is {name!r}; give a non-empty name")
    if len(name) > MAX_EXPERIMENT_NAME_LENGTH:
        raise InvalidExperimentNameError(
            f"experiment name is {len(name)} characters long; the limit is "
            f"{MAX_EXPERIMENT_NAME_LENGTH}"
        )
    return name


class ExperimentDirectory:
    """Experiments by name over the port, remembering active ones (names rarely move).

    Creation is race-safe: "already exists" from a concurrent creator means "get by name",
    so two threads or processes creating one name both get the same id.
    """

    def __init__(self, tracking: TrackingPort) -> None:
        self._tracking = tracking
        self._known: dict[str, Experiment] = {}
        self._lock = threading.Lock()

    def find(self, name: str) -> Experiment | None:
        """The active experiment called ``name``, or None.

        Raises:
            ExperimentDeletedError: The name belongs to a deleted experiment.
        """
        with self._lock:
            cached = self._known.get(name)
        if cached is not None:
            return cached
        found = self._tracking.get_experiment_by_name(validated_experiment_name(name))
        if found is None:
            return None
        if not found.is_active:
            raise ExperimentDeletedError(
                f"experiment {name!r} (id {found.experiment_id}) is deleted; restore it or "
                "choose another name"
            )
        with self._lock:
            self._known[name] = found
        return found

    def get_or_create(self, name: str) -> str:
        """The id of the active experiment ``name``, created if missing."""
        existing = self.find(name)
        if existing is not None:
            return existing.experiment_id
        try:
            experiment_id = self._tracking.create_experiment(name)
            logger.info("created experiment %r (id %s)", name, experiment_id)
            return experiment_id
        except TrackingAlreadyExistsError:
            logger.debug("experiment %r was created concurrently; reading it", name)
            again = self.find(name)
            if again is None:
                raise
            return again.experiment_id

    def forget(self, name: str) -> None:
        """Drop a remembered experiment (after it was deleted or renamed elsewhere)."""
        with self._lock:
            self._known.pop(name, None)


def parent_ref(tracking: TrackingPort, parent: RunRef | str) -> RunRef:
    """The parent as a run reference; a bare id costs one ``get_run``.

    Raises:
        ParentRunNotFoundError: No run has that id.
    """
    if isinstance(parent, RunRef):
        return parent
    if not looks_like_run_id(parent):
        raise ParentRunNotFoundError(f"parent run {parent!r} is not a run id")
    try:
        return tracking.get_run(parent).ref
    except TrackingNotFoundError as exc:
        raise ParentRunNotFoundError(f"parent run {parent!r} does not exist") from exc


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
