"""The tracking port: everything the domain needs from a tracking backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from trackwright.domain.finding.query import RunPage, RunQuery
from trackwright.domain.model import Experiment, Metric, Run, RunRef, RunStatus
from trackwright.domain.run_index import IndexEntry


class TrackingPort(Protocol):
    """A tracking backend (MLflow, the in-memory fake, or one you add).

    Every method raises only the ``TrackingError`` subclasses its docstring names, plus
    ``TrackingUnavailableError`` when the backend cannot be reached.
    """

    @property
    def tracking_uri(self) -> str:
        """The URI of the store, without credentials."""
        ...

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """The experiment with this name (active or deleted), or None when there is none."""
        ...

    def create_experiment(self, name: str) -> str:
        """Create an experiment and return its id.

        Raises:
            TrackingAlreadyExistsError: A live or deleted experiment has this name.
            TrackingInvalidValueError: The name is empty or longer than 500 characters.
        """
        ...

    def delete_experiment(self, experiment_id: str) -> None:
        """Soft-delete an experiment.

        Raises:
            TrackingNotFoundError: No experiment has this id.
        """
        ...

    def restore_experiment(self, experiment_id: str) -> None:
        """Restore a soft-deleted experiment.

        Raises:
            TrackingNotFoundError: No experiment has this id.
        """
        ...

    def create_run(
        self,
        experiment_id: str,
        run_name: str,
        tags: Mapping[str, str],
        start_time: int | None = None,
    ) -> Run:
        """Create a RUNNING run with all its tags in one call.

        Raises:
            TrackingNotFoundError: The experiment does not exist.
            TrackingInvalidValueError: The experiment is deleted, or ``run_name`` and an
                ``mlflow.runName`` tag disagree.
        """
        ...

    def get_run(self, run_id: str) -> Run:
        """The run, deleted or not.

        Raises:
            TrackingNotFoundError: No run has this id.
        """
        ...

    def log_batch(
        self,
        run_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        metrics: Sequence[Metric] = (),
    ) -> None:
        """Write tags, params and metrics in one call.

        Raises:
            TrackingNotFoundError: No run has this id.
            TrackingInvalidValueError: The run is deleted, a key is invalid, a param is
                logged again with another value, or a batch limit is exceeded.
        """
        ...

    def set_terminated(self, run_id: str, status: RunStatus, end_time: int | None = None) -> None:
        """Set a run's status and end time.

        Raises:
            TrackingNotFoundError: No run has this id.
            TrackingInvalidValueError: The run is deleted.
        """
        ...

    def search_runs(self, query: RunQuery) -> RunPage:
        """Runs matching ``query`` in its order, up to ``query.max_results`` (all if None).

        Raises:
            TrackingInvalidValueError: The page token is not one this backend issued.
        """
        ...

    def delete_run(self, run_id: str) -> None:
        """Soft-delete a run.

        Raises:
            TrackingNotFoundError: No run has this id.
        """
        ...


class ArtifactPort(Protocol):
    """Files attached to runs (checkpoints, manifests, reports).

    Every method raises ``TrackingNotFoundError`` for an unknown run and
    ``TrackingUnavailableError`` when the store cannot be reached.
    """

    def log_artifact(self, run_id: str, local_path: Path, artifact_path: str | None = None) -> None:
        """Upload one file under ``artifact_path`` (a folder inside the run's artifacts)."""
        ...

    def log_artifacts(self, run_id: str, local_dir: Path, artifact_path: str | None = None) -> None:
        """Upload every file below ``local_dir``, keeping relative paths."""
        ...

    def list_artifacts(self, run_id: str) -> list[str]:
        """Every artifact file of the run, as sorted relative paths."""
        ...


class RunIndexPort(Protocol):
    """A local cache from run-key hash to run, per tracking URI (a file, or memory in tests).

    Entries are hints: the finder verifies every hit against the tracking backend and
    forgets entries that turned out wrong.
    """

    def lookup(self, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
        """The entry for this run key on this tracking URI, or None.

        Raises:
            RunIndexCorruptError: The index was corrupt; it has been moved aside and
                rebuilt empty, so the next call works (the caller treats this as a miss).
            RunIndexUnavailableError: The index could not be read or locked in time.
        """
        ...

    def record(self, tracking_uri: str, run_key_hash: str, run: RunRef) -> None:
        """Remember that the run with this key on this tracking URI is ``run``.

        Raises:
            RunIndexUnavailableError: The lock could not be taken in time or the write
                failed; nothing was written unlocked.
        """
        ...

    def forget(self, tracking_uri: str, run_key_hash: str) -> None:
        """Drop the entry for this run key on this tracking URI, if there is one.

        Raises:
            RunIndexUnavailableError: The lock could not be taken in time or the write
                failed.
        """
        ...


class VersionCounterPort(Protocol):
    """Run-name version numbers (``_1``, ``_2`` ...), allocated atomically per counter key."""

    def next_version(self, counter_key: str) -> int:
        """The next version for ``counter_key`` (1 for a new key); never handed out twice.

        Raises:
            RunIndexUnavailableError: The counter could not be locked or written in time.
        """
        ...
