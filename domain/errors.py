"""The two error families of trackwright.

``DomainError`` covers decisions the library makes itself (policy violations, resolution
failures, strict not-found). ``TrackingError`` covers what a tracking backend answers
(not found, already exists, invalid value, unavailable). Adapters translate every
backend-specific exception into a ``TrackingError`` subclass with ``raise ... from``.
"""

from __future__ import annotations

from collections.abc import Sequence


class TrackwrightError(Exception):
    """Base class of every error trackwright raises on purpose."""


class DomainError(TrackwrightError):
    """A rule of the library was broken, or a lookup it owns could not be answered."""


class TagPolicyViolationError(DomainError, ValueError):
    """One or more tags break the tag policy; every broken rule is listed.

    Attributes:
        violations: One sentence per broken rule, in the order they were found.
    """

    def __init__(self, violations: Sequence[str]) -> None:
        self.violations = tuple(violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{len(self.violations)} tag rule(s) broken:\n{lines}")


class TagKeyError(DomainError, KeyError):
    """A tag key is missing from the registry, or the registry holds a malformed entry."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class TagRegistryConfigError(DomainError):
    """A tag-key override file could not be read or holds invalid entries."""


class InvalidRunNameError(DomainError, ValueError):
    """A run name is None, empty, whitespace-only or breaks the naming limits."""


class ExperimentDeletedError(DomainError):
    """An experiment with that name exists but is deleted; it must be restored or renamed."""


class ExperimentResolutionError(DomainError):
    """No strategy of the experiment-resolution chain produced an experiment.

    Attributes:
        attempts: ``(strategy, why it missed)`` for every strategy that was tried.
    """

    def __init__(self, attempts: Sequence[tuple[str, str]]) -> None:
        self.attempts = tuple(attempts)
        tried = "; ".join(f"{name}: {why}" for name, why in self.attempts) or "nothing to try"
        super().__init__(f"Could not resolve an experiment ({tried})")


class ParentRunNotFoundError(DomainError):
    """The parent run of a child run does not exist in the tracking backend."""


class ParentExperimentMismatchError(DomainError):
    """A child run was asked for in one experiment while its parent lives in another."""


class TrackingError(TrackwrightError):
    """A tracking backend refused or failed an operation.

    Attributes:
        operation: The port operation that failed, e.g. ``"create_run"``.
    """

    def __init__(self, message: str, *, operation: str = "") -> None:
        self.operation = operation
        prefix = f"{operation}: " if operation else ""
        super().__init__(f"{prefix}{message}")


class TrackingNotFoundError(TrackingError):
    """The experiment or run does not exist."""


class TrackingAlreadyExistsError(TrackingError):
    """An experiment with that name already exists (active or deleted)."""


class TrackingInvalidValueError(TrackingError):
    """The backend rejected a value (bad key, over a limit, wrong state, bad query)."""


class TrackingUnavailableError(TrackingError):
    """The backend could not be reached or answered with a temporary failure."""


class TrackingRateLimitedError(TrackingUnavailableError):
    """The backend asked the caller to slow down (HTTP 429)."""


class TrackingStoreError(TrackingError):
    """The store cannot be used as configured; repeating the call will not help.

    A URI no store understands, a path that is not a database, a folder that cannot be
    written, a database that cannot be read, or (for commands that only read) a store
    that does not exist.
    """


class InvalidExperimentNameError(DomainError, ValueError):
    """An experiment name is None, empty, whitespace-only or over 500 characters."""


class InvalidRunIdError(DomainError, ValueError):
    """A run id is neither MLflow's 32-hex form nor a (dashed) UUID."""


class InvalidExperimentIdError(DomainError, ValueError):
    """An experiment id has characters no MLflow or Azure ML experiment id has."""


class IdentityError(DomainError, ValueError):
    """An identity key (study, trial or run key) cannot be built from what was given."""


class IncompleteRunKeyError(IdentityError):
    """A run key needs a field the caller did not give (e.g. a refit run without trial id)."""


class UnknownFinderStrategyError(DomainError, ValueError):
    """A fuzzy finder strategy was enabled by a name the finder does not know."""


class RunNotFoundError(DomainError, ValueError):
    """A strict run lookup found nothing (a ``ValueError``, as the original's strict mode).

    Attributes:
        attempts: ``(strategy, why it missed)`` for every strategy that was tried.
    """

    def __init__(self, message: str, attempts: Sequence[tuple[str, str]]) -> None:
        self.attempts = tuple(attempts)
        tried = "; ".join(f"{name}: {why}" for name, why in self.attempts) or "nothing to try"
        super().__init__(f"{message} (tried {tried})")


class ExperimentNotFoundError(DomainError, LookupError):
    """No active experiment has the name a lookup was asked for."""


class UnsupportedFilterError(DomainError, ValueError):
    """A raw MLflow filter string was given where only typed conditions are accepted."""


class RunIndexError(DomainError):
    """The local run index could not be used."""


class RunIndexUnavailableError(RunIndexError):
    """The run index's lock could not be taken in time, or its file could not be written."""


class RunIndexCorruptError(RunIndexError):
    """The run index file was not a valid index; it was moved aside and rebuilt empty.

    Attributes:
        path: The index file.
        moved_to: Where the corrupt content was kept for inspection.
    """

    def __init__(self, path: str, moved_to: str, reason: str) -> None:
        self.path = path
        self.moved_to = moved_to
        super().__init__(
            f"run index {path} was corrupt ({reason}); moved to {moved_to} and rebuilt empty"
        )


class TrackingTimeoutError(TrackingUnavailableError):
    """No answer came back: the request may or may not have been applied (outcome unknown).

    A timeout or a connection dropped after the request was sent. Repeating a write after
    this error is safe only if the write is idempotent or is first looked up.
    """


class TrackingRetriesExhaustedError(TrackingUnavailableError):
    """A call still failed after every attempt its retry policy allows.

    Attributes:
        operation: The port operation that failed, e.g. ``"create_run"``.
        attempts: How many attempts were made.
    """

    def __init__(self, message: str, *, operation: str, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(message, operation=operation)


class LeaseSettingsError(DomainError, ValueError):
    """A heartbeat interval or grace period makes no sense (negative, or interval >= grace)."""


class InvalidStudyKeyError(IdentityError):
    """A study key hash is not the 64-hex sha256 that ``study_key_hash_v2`` produces."""
