"""Lineage: where a model came from, as a value object and as ``code.lineage.*`` tags.

Run ids are accepted in MLflow's 32-hex form and as dashed UUIDs (Azure ML); the original
kept only dashed UUIDs on benchmark runs, so off Azure every link was dropped (W-3). An id
of neither form is refused with ``InvalidRunIdError`` instead of being dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from trackwright.domain.errors import InvalidRunIdError
from trackwright.domain.tags.keys import TagKeyRegistry

_RUN_ID = re.compile(
    r"^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.I
)
HPO_SOURCE = "hpo_best_selected"
FINAL_TRAINING_SOURCE = "final_training"


def checked_run_id(value: str, field: str = "run id") -> str:
    """``value`` if it is a 32-hex MLflow id or a dashed UUID.

    Raises:
        InvalidRunIdError: Anything else.
    """
    if not isinstance(value, str) or not _RUN_ID.match(value):
        raise InvalidRunIdError(f"{field} {value!r} is not a 32-hex MLflow run id or a UUID")
    return value


@dataclass(frozen=True, slots=True)
class Lineage:
    """The HPO origin of a trained model and the training run a derived run came from."""

    hpo_study_key_hash: str | None = None
    hpo_trial_key_hash: str | None = None
    hpo_trial_run_id: str | None = None
    hpo_refit_run_id: str | None = None
    hpo_sweep_run_id: str | None = None
    parent_training_run_id: str | None = None

    def __post_init__(self) -> None:
        for name in (
            "hpo_trial_run_id",
            "hpo_refit_run_id",
            "hpo_sweep_run_id",
            "parent_training_run_id",
        ):
            value = getattr(self, name)
            if value is not None:
                checked_run_id(value, name)

    @property
    def has_hpo_origin(self) -> bool:
        """Whether any HPO link (hash or run id) is known."""
        return any(getattr(self, f.name) for f in fields(self) if f.name.startswith("hpo_"))

    @classmethod
    def from_best_model(cls, best_model: Mapping[str, Any]) -> Lineage:
        """The original ``extract_lineage_from_best_model``: values first, then tags."""
        tags = best_model.get("tags") or {}
        return cls(
            hpo_study_key_hash=best_model.get("study_key_hash") or tags.get("code.study_key_hash"),
            hpo_trial_key_hash=best_model.get("trial_key_hash") or tags.get("code.trial_key_hash"),
            hpo_trial_run_id=best_model.get("trial_run_id"),
            hpo_refit_run_id=best_model.get("run_id"),
            hpo_sweep_run_id=tags.get("code.lineage.hpo_sweep_run_id"),
        )

    @classmethod
    def from_tags(cls, tags: Mapping[str, str], registry: TagKeyRegistry) -> Lineage:
        """The lineage a run's ``code.lineage.*`` tags describe."""
        return cls(**{f.name: tags.get(registry.key("lineage", f.name)) for f in fields(cls)})

    def for_benchmark(self, trained_run_id: str) -> Lineage:
        """The lineage of a benchmark of the model trained in ``trained_run_id``."""
        return replace(self, parent_training_run_id=checked_run_id(trained_run_id))

    def parent_training(self) -> tuple[str, str] | None:
        """``(run id, kind)`` of the closest training ancestor.

        The explicit ``parent_training_run_id`` (a final-training run) first, then the HPO
        trial, refit and sweep runs, in that order (the original's priority).
        """
        if self.parent_training_run_id:
            return self.parent_training_run_id, "final_training"
        for kind in ("trial", "refit", "sweep"):
            run_id = getattr(self, f"hpo_{kind}_run_id")
            if run_id:
                return run_id, kind
        return None


def lineage_tags(lineage: Lineage, registry: TagKeyRegistry) -> dict[str, str]:
    """``code.lineage.*`` tags of a run trained from an HPO result (empty without origin)."""
    if not lineage.has_hpo_origin and not lineage.parent_training_run_id:
        return {}
    tags = {registry.key("lineage", "source"): HPO_SOURCE}
    for f in fields(lineage):
        value = getattr(lineage, f.name)
        if value:
            tags[registry.key("lineage", f.name)] = value
    return tags


def benchmark_lineage_tags(lineage: Lineage, registry: TagKeyRegistry) -> dict[str, str]:
    """Lineage of a benchmark run: the HPO links plus the closest parent and its kind."""
    tags = lineage_tags(lineage, registry)
    parent = lineage.parent_training()
    if parent is not None:
        tags[registry.key("lineage", "parent_training_run_id")] = parent[0]
        tags[registry.key("lineage_extra", "parent_kind")] = parent[1]
    return tags


def conversion_lineage_tags(
    parent_training_run_id: str | None,
    spec_fp: str | None,
    exec_fp: str | None,
    registry: TagKeyRegistry,
) -> dict[str, str]:
    """Lineage of a conversion run: the final-training run and its fingerprints."""
    tags = {registry.key("lineage", "source"): FINAL_TRAINING_SOURCE}
    if parent_training_run_id:
        key = registry.key("lineage", "parent_training_run_id")
        tags[key] = checked_run_id(parent_training_run_id)
    if spec_fp:
        tags[registry.key("lineage_extra", "parent_spec_fp")] = spec_fp
    if exec_fp:
        tags[registry.key("lineage_extra", "parent_exec_fp")] = exec_fp
    return tags
