"""What a stage of a training workflow knows about itself: identity, naming and tag inputs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from trackwright.domain.identity.positions import sweep_position
from trackwright.domain.model import RunKind


@dataclass(frozen=True, slots=True)
class StageContext:
    """The facts one run is named, tagged and keyed from.

    Attributes:
        kind: Which kind of run this is.
        model: The backbone, e.g. ``distilbert-base-uncased``.
        env: The execution platform (``local``, ``colab``, ``kaggle``, ``azure``, ``azureml``).
        storage_env: Where outputs are stored; defaults to ``env``.
        project: The project name written to ``code.project``.
        created_by: The user written to ``code.created_by``.
        trial_id: ``trial_<n>`` or another stable id of the HPO trial.
        parent_training_id: ``spec_<fp>_exec_<fp>/v<n>`` of the trained model (conversion).
    """

    kind: RunKind
    model: str
    env: str = "local"
    storage_env: str | None = None
    project: str = "resume-ner"
    created_by: str = "system"
    output_dir: str | None = None
    group_id: str | None = None
    study_name: str | None = None
    study_key_hash: str | None = None
    study_family_hash: str | None = None
    trial_key_hash: str | None = None
    trial_number: int | None = None
    trial_id: str | None = None
    fold_idx: int | None = None
    spec_fp: str | None = None
    exec_fp: str | None = None
    variant: int = 1
    conv_fp: str | None = None
    parent_training_id: str | None = None
    benchmark_config_hash: str | None = None
    refit_protocol_fp: str | None = None

    def __post_init__(self) -> None:
        """Refuse a bad trial number or fold index before anything is named or tagged."""
        object.__setattr__(self, "trial_number", sweep_position("trial_number", self.trial_number))
        object.__setattr__(self, "fold_idx", sweep_position("fold_idx", self.fold_idx))

    @property
    def storage(self) -> str:
        """``storage_env``, or ``env`` when it is not set."""
        return self.storage_env or self.env

    def evolve(self, **changes: object) -> StageContext:
        """A copy with ``changes`` applied (e.g. the same trial for another fold)."""
        return replace(self, **changes)  # type: ignore[arg-type]
