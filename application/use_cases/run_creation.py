"""Run creation use cases: child, standalone and training runs, tuple and scoped forms.

Every path validates the run name and tags before its first tracking call, so bad input
leaves nothing behind. A child under a ``RunRef`` costs exactly one call (``create_run``);
under a bare parent id, one ``get_run`` more, then none for ``KnownParents``' window
(``domain.parent_runs`` states what a deletion inside that window does). A deleted parent
is refused. A run refused because its remembered experiment was deleted since it was
first used raises ``ExperimentDeletedError``, not the backend's "must be active".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from trackwright.application.use_cases.lifecycle import ended_by_outcome
from trackwright.domain.errors import (
    ParentExperimentMismatchError,
    TrackingInvalidValueError,
    TrackingNotFoundError,
)
from trackwright.domain.experiment_directory import ExperimentDirectory
from trackwright.domain.model import Run, RunRef
from trackwright.domain.parent_runs import KnownParents
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.policy import ChildRunSpec, TagPolicy, validated_run_name

logger = logging.getLogger(__name__)
Tags = Mapping[str, object]


class RunCreation:
    """Creates runs with the tag policy's tags in one ``create_run`` call each."""

    def __init__(
        self, tracking: TrackingPort, policy: TagPolicy, experiments: ExperimentDirectory
    ) -> None:
        self._tracking = tracking
        self._policy = policy
        self._experiments = experiments
        self._parents = KnownParents(tracking)

    def forget_parent(self, run_id: str) -> None:
        """Stop trusting ``run_id`` as a live parent (after you deleted it yourself)."""
        self._parents.forget(run_id)

    def _create(self, experiment_id: str, name: str, tags: Mapping[str, str]) -> Run:
        """``create_run``; a refusal in a since-deleted experiment says so."""
        try:
            run = self._tracking.create_run(experiment_id, name, tags)
        except (TrackingInvalidValueError, TrackingNotFoundError):
            self._experiments.confirm_active(experiment_id)  # raises ExperimentDeletedError
            raise
        self._parents.seen_alive(run.ref)
        return run

    def create_child(
        self,
        parent: RunRef | str,
        run_name: str,
        *,
        experiment_name: str | None = None,
        trial_number: int | str | None = None,
        fold_idx: int | None = None,
        tags: Tags | None = None,
    ) -> Run:
        """Create a RUNNING child run in its parent's experiment.

        Raises:
            InvalidRunNameError: The name is missing or too long (before any call).
            TagPolicyViolationError: A caller tag breaks a rule (before any call).
            IdentityError: ``trial_number`` or ``fold_idx`` is not a whole number >= 0.
            ParentRunNotFoundError: The parent run id does not exist or is deleted.
            ParentExperimentMismatchError: ``experiment_name`` is not the parent's experiment.
            ExperimentDeletedError: ``experiment_name`` names a deleted experiment.
        """
        parent_id = parent.run_id if isinstance(parent, RunRef) else parent
        spec = ChildRunSpec(parent_id, validated_run_name(run_name), trial_number, fold_idx)
        child_tags = self._policy.child_run_tags(spec, tags)
        ref = self._parents.ref(parent)
        if experiment_name is not None:
            self._require_parent_in(ref, experiment_name)
        run = self._create(ref.experiment_id, spec.run_name, child_tags)
        logger.info("created child run %s (%s) under %s", run.run_id, run.name, ref.run_id)
        return run

    def _require_parent_in(self, ref: RunRef, experiment_name: str) -> None:
        named = self._experiments.find(experiment_name)
        if named is None or named.experiment_id != ref.experiment_id:
            where = f"experiment {named.experiment_id}" if named else "no such experiment"
            raise ParentExperimentMismatchError(
                f"parent run {ref.run_id} is in experiment {ref.experiment_id}, but the child "
                f"was asked for in {experiment_name!r} ({where})"
            )

    def create_standalone(
        self, experiment_name: str, run_name: str, *, tags: Tags | None = None
    ) -> Run:
        """Create a RUNNING run without a parent, creating the experiment if needed.

        Raises:
            InvalidRunNameError: The name is missing or too long (before any call).
            TagPolicyViolationError: A caller tag breaks a rule (before any call).
            InvalidExperimentNameError: The experiment name is blank (before any call).
            ExperimentDeletedError: The experiment name belongs to a deleted experiment.
        """
        name = validated_run_name(run_name)
        run_tags = self._policy.standalone_run_tags(name, tags)
        experiment_id = self._experiments.get_or_create(experiment_name)
        run = self._create(experiment_id, name, run_tags)
        logger.info("created run %s (%s) in experiment %s", run.run_id, name, experiment_id)
        return run

    def create_in_experiment(
        self, experiment_id: str, run_name: str, *, tags: Tags | None = None
    ) -> Run:
        """Create a RUNNING run without a parent in a known experiment (one call)."""
        name = validated_run_name(run_name)
        return self._create(experiment_id, name, self._policy.standalone_run_tags(name, tags))

    @contextmanager
    def scoped(self, run: Run) -> Iterator[Run]:
        """Yield ``run`` and end it by how the body ended.

        FINISHED on success, FAILED (with the exception's type and a short message) when
        the body raises, KILLED on KeyboardInterrupt or SystemExit. The body's exception is
        re-raised unchanged; if ending the run fails too, that failure is logged and the
        body's exception still wins. Runs are ended in one place:
        ``use_cases.lifecycle.ended_by_outcome``.
        """
        with ended_by_outcome(self._tracking, run.run_id, self._policy.registry):
            yield run
