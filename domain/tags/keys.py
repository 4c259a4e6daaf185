"""The tag-key registry: one place that names every tag key trackwright writes or reads.

Defaults cover all 53 keys of the original ``tags.yaml`` (the original's built-in
defaults missed ``study``, ``fingerprint``, ``objective`` and ``artifact``) plus the keys
the original wrote outside its registry. An override file may rename any key; entries
the file does not mention keep their default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from trackwright.domain.errors import TagKeyError, TagRegistryConfigError
from trackwright.domain.tags.rules import key_violations

DEFAULT_TAG_KEYS: Mapping[str, Mapping[str, str]] = {
    "grouping": {
        "study_key_hash": "code.study_key_hash",
        "trial_key_hash": "code.trial_key_hash",
        "parent_run_id": "code.parent_run_id",
        "study_family_hash": "code.study_family_hash",
        "run_key_hash": "code.run_key_hash",
        "group_id": "code.group_id",
        "grouping_schema_version": "code.grouping_schema_version",
    },
    "study": {"key_schema_version": "code.study.key_schema_version"},
    "fingerprint": {"data": "code.fingerprint.data", "eval": "code.fingerprint.eval"},
    "objective": {"direction": "code.objective.direction"},
    "artifact": {"available": "code.artifact.available"},
    "process": {
        "stage": "code.stage",
        "project": "code.project",
        "backbone": "code.backbone",
        "model": "code.model",
        "run_type": "code.run_type",
        "env": "code.env",
        "storage_env": "code.storage_env",
        "execution_platform": "code.execution_platform",
        "created_by": "code.created_by",
    },
    "training": {
        "trained_on_full_data": "code.trained_on_full_data",
        "source_training_run": "source_training_run",
        "refit": "code.refit",
        "refit_has_validation": "code.refit_has_validation",
        "interrupted": "code.interrupted",
    },
    "refit": {"of_trial_run_id": "code.refit.of_trial_run_id"},
    "hpo": {
        "trial_number": "code.hpo.trial_number",
        "best_trial_run_id": "best_trial_run_id",
        "best_trial_number": "best_trial_number",
        "refit_planned": "code.refit_planned",
    },
    "lineage": {
        "source": "code.lineage.source",
        "hpo_study_key_hash": "code.lineage.hpo_study_key_hash",
        "hpo_trial_key_hash": "code.lineage.hpo_trial_key_hash",
        "hpo_trial_run_id": "code.lineage.hpo_trial_run_id",
        "hpo_refit_run_id": "code.lineage.hpo_refit_run_id",
        "hpo_sweep_run_id": "code.lineage.hpo_sweep_run_id",
        "parent_training_run_id": "code.lineage.parent_training_run_id",
    },
    "paths": {
        "spec_fp": "code.spec_fp",
        "exec_fp": "code.exec_fp",
        "conv_fp": "code.conv_fp",
        "output_dir": "code.output_dir",
        "refit_protocol_fp": "code.refit_protocol_fp",
    },
    "azureml": {"run_type": "azureml.runType", "sweep": "azureml.sweep"},
    "mlflow": {"run_type": "mlflow.runType", "parent_run_id": "mlflow.parentRunId"},
    "legacy": {
        "trial_number": "trial_number",
        "trial_id": "code.trial_id",
        "parent_training_id": "code.parent_training_id",
        "variant": "code.variant",
        "benchmark_config_hash": "code.benchmark_config_hash",
        "run_id_prefix": "code.run_id_prefix",
    },
}
"""The 53 keys of the original ``tags.yaml`` (schema version 1), section by section."""

EXTRA_TAG_KEYS: Mapping[str, Mapping[str, str]] = {
    "run": {"name": "mlflow.runName", "fold_idx": "fold_idx", "azureml_trial": "azureml.trial"},
    "training_extra": {"training_type": "training_type"},
    "benchmark": {
        "source": "benchmark_source",
        "model": "benchmarked_model",
        "key": "benchmark_key",
    },
    "lineage_extra": {
        "parent_kind": "code.lineage.parent_kind",
        "parent_spec_fp": "code.lineage.parent_spec_fp",
        "parent_exec_fp": "code.lineage.parent_exec_fp",
    },
    "conversion": {
        "type": "conversion_type",
        "format": "conversion.format",
        "quantization": "conversion.quantization",
        "opset_version": "conversion.opset_version",
    },
    "refit_status": {
        "completed": "code.refit_completed",
        "training_done": "code.refit_training_done",
        "run_id": "code.refit_run_id",
        "artifacts_uploaded": "code.refit_artifacts_uploaded",
        "error": "code.refit_error",
    },
    "signal": {"interrupted": "interrupted"},
    "lease": {
        "worker_id": "code.worker_id",
        "run_id": "code.lease.run_id",
        "heartbeat_ms": "code.lease.heartbeat_ms",
        "interval_s": "code.lease.interval_s",
        "grace_s": "code.lease.grace_s",
        "sweep_member": "code.sweep.worker",
    },
    "outcome": {
        "state": "code.trial.state",
        "error_type": "code.error.type",
        "error_message": "code.error.message",
    },
}
"""Keys the original wrote without registering them; registered here so nothing is a literal."""

RESERVED_KEYS = frozenset({"mlflow.parentRunId", "mlflow.runName"})
"""Keys only the policy writes: callers pass a parent or a run name instead."""


def _validated(sections: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    problems: list[str] = []
    out: dict[str, dict[str, str]] = {}
    for section, entries in sections.items():
        if not isinstance(entries, Mapping):
            problems.append(f"section {section!r} is not a mapping")
            continue
        out[section] = {}
        for name, key in entries.items():
            if not isinstance(key, str):
                problems.append(f"{section}.{name} is not a string: {key!r}")
                continue
            problems.extend(f"{section}.{name}: {p}" for p in key_violations(key))
            out[section][name] = key
    if problems:
        raise TagRegistryConfigError("invalid tag keys: " + "; ".join(problems))
    return out


@dataclass(frozen=True)
class TagKeyRegistry:
    """Tag keys by ``(section, name)``; validated when built, so lookups never find junk.

    Attributes:
        sections: ``{section: {name: tag key}}``.
        schema_version: The override file's ``schema_version`` (0 for defaults only).
    """

    sections: Mapping[str, Mapping[str, str]]
    schema_version: int = 0

    @classmethod
    def defaults(cls) -> TagKeyRegistry:
        """The registry with every built-in key and no overrides."""
        return cls.with_overrides({})

    @classmethod
    def with_overrides(
        cls, overrides: Mapping[str, Any], schema_version: int = 0
    ) -> TagKeyRegistry:
        """Defaults deep-merged with ``overrides`` (override values win, per entry).

        Raises:
            TagRegistryConfigError: A section is not a mapping or a key is not a valid tag key.
        """
        merged: dict[str, dict[str, Any]] = {
            s: dict(e) for s, e in {**DEFAULT_TAG_KEYS, **EXTRA_TAG_KEYS}.items()
        }
        for section, entries in _validated(overrides).items():
            merged.setdefault(section, {}).update(entries)
        frozen = {s: MappingProxyType(e) for s, e in _validated(merged).items()}
        return cls(MappingProxyType(frozen), schema_version)

    def key(self, section: str, name: str) -> str:
        """The tag key registered as ``section.name``.

        Raises:
            TagKeyError: ``Missing tag key: section.name``.
        """
        try:
            return self.sections[section][name]
        except KeyError:
            raise TagKeyError(f"Missing tag key: {section}.{name}") from None

    def all_keys(self) -> frozenset[str]:
        """Every registered tag key."""
        return frozenset(k for entries in self.sections.values() for k in entries.values())
