"""Experiments by name, remembered while they stay active; a deletion is found, not trusted.

Names rarely move, so an active experiment is remembered after its first lookup. A
remembered id can go stale when someone deletes the experiment later (in the UI, with
another client). A run created in it then fails; ``confirm_active`` re-reads the name
and turns that failure into ``ExperimentDeletedError`` (the happy path costs nothing).
"""

from __future__ import annotations

import logging
import threading

from trackwright.domain.errors import (
    ExperimentDeletedError,
    InvalidExperimentNameError,
    TrackingAlreadyExistsError,
)
from trackwright.domain.model import Experiment
from trackwright.domain.ports import TrackingPort
from trackwright.domain.run_names import control_characters

logger = logging.getLogger(__name__)
MAX_EXPERIMENT_NAME_LENGTH = 500


def validated_experiment_name(name: object) -> str:
    """The experiment name, checked before any backend call.

    Raises:
        InvalidExperimentNameError: None, not a string, blank, over 500 characters, or
            holding control characters.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidExperimentNameError(f"experiment name is {name!r}; give a non-empty name")
    if len(name) > MAX_EXPERIMENT_NAME_LENGTH:
        raise InvalidExperimentNameError(
            f"experiment name is {len(name)} characters long; the limit is "
            f"{MAX_EXPERIMENT_NAME_LENGTH}"
        )
    bad = control_characters(name)
    if bad:
        raise InvalidExperimentNameError(f"experiment name {name!r} holds control characters {bad}")
    return name


def _deleted(name: str, experiment_id: str, since: str = "") -> ExperimentDeletedError:
    return ExperimentDeletedError(
        f"experiment {name!r} (id {experiment_id}) is deleted{since}; restore it or choose "
        "another name"
    )


class ExperimentDirectory:
    """Experiments by name over the port, remembering active ones.

    Creation is race-safe: "already exists" from a concurrent creator means "get by name",
    so two threads or processes creating one name both get the same id.
    """

    def __init__(self, tracking: TrackingPort) -> None:
        self._tracking = tracking
        self._known: dict[str, Experiment] = {}
        self._gone: dict[str, str] = {}  # experiment id -> name, once found deleted
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
            with self._lock:
                self._gone[found.experiment_id] = name
            raise _deleted(name, found.experiment_id)
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
            with self._lock:
                self._known[name] = Experiment(experiment_id, name)
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

    def confirm_active(self, experiment_id: str) -> None:
        """After a write into ``experiment_id`` failed: re-read the names remembered for it.

        Raises:
            ExperimentDeletedError: A remembered experiment with this id was deleted (or
                removed for good) since it was first looked up.
        """
        with self._lock:
            names = [n for n, e in self._known.items() if e.experiment_id == experiment_id]
            for name in names:
                del self._known[name]
            gone = self._gone.get(experiment_id)
        if gone is not None:
            raise _deleted(gone, experiment_id, " since it was first used")
        for name in names:
            try:
                found = self.find(name)
            except ExperimentDeletedError:
                found = None
            if found is None or found.experiment_id != experiment_id:
                with self._lock:
                    self._gone[experiment_id] = name
                raise _deleted(name, experiment_id, " since it was first used")
