"""The tags of each kind of run: one taxonomy that readers and writers share.

Taxonomy: ``code.run_type`` holds the kind of run (``sweep``, ``trial``, ``fold``, ``refit``,
``final_training``, ``benchmark``, ``conversion``) on every run, and readers select on it.
``code.stage`` keeps the original process types (``hpo`` for sweep, trial and fold runs,
``hpo_refit``, ``final_training``, ``benchmarking``, ``conversion``) for existing dashboards.
The original queried ``code.stage = hpo_trial`` and ``code.backbone`` that nothing wrote
(W-23); here ``code.backbone`` is written alongside ``code.model``.

Changes from the original: fold runs carry the identity tags (W-22); every run with a run
key carries ``code.run_key_hash`` and hashes always come with
``code.grouping_schema_version`` (W-24); ``code.variant`` only on final-training and
conversion runs (W-24); ``azureml.*`` run types only on Azure ML tracking URIs (W-29; the rule is
``tags.azure_ml``).
"""

from __future__ import annotations

from trackwright.domain.model import RunKind
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.azure_ml import azure_ml_kind_tags
from trackwright.domain.tags.keys import TagKeyRegistry

STAGE = {
    RunKind.SWEEP: "hpo",
    RunKind.TRIAL: "hpo",
    RunKind.FOLD: "hpo",
    RunKind.REFIT: "hpo_refit",
    RunKind.FINAL_TRAINING: "final_training",
    RunKind.BENCHMARK: "benchmarking",
    RunKind.CONVERSION: "conversion",
}
MLFLOW_RUN_TYPE = {
    RunKind.SWEEP: "sweep",
    RunKind.REFIT: "refit",
    RunKind.FINAL_TRAINING: "training",
    RunKind.BENCHMARK: "benchmark",
    RunKind.CONVERSION: "conversion",
}
GROUPING_SCHEMA_VERSION = "1"
_VARIANT_KINDS = frozenset({RunKind.FINAL_TRAINING, RunKind.CONVERSION})
_TRIAL_KINDS = frozenset({RunKind.TRIAL, RunKind.FOLD, RunKind.REFIT})


class RunTagBuilder:
    """Builds the tags a run of each kind carries, with keys from the registry."""

    def __init__(self, registry: TagKeyRegistry, azure_ml: bool = False) -> None:
        self._registry = registry
        self._key = registry.key
        self._azure = azure_ml

    def tags(self, ctx: StageContext, run_key_hash: str | None = None) -> dict[str, str]:
        """Every tag of the run described by ``ctx``.

        ``mlflow.runName`` and ``mlflow.parentRunId`` are not here: the run-creation policy
        writes those.
        """
        tags = {**self._process(ctx), **self._optional(ctx), **self._grouping(ctx, run_key_hash)}
        tags.update(self._kind_markers(ctx))
        return tags

    def _process(self, ctx: StageContext) -> dict[str, str]:
        k = self._key
        return {
            k("process", "stage"): STAGE[ctx.kind],
            k("process", "run_type"): ctx.kind.value,
            k("process", "model"): ctx.model,
            k("process", "backbone"): ctx.model,
            k("process", "storage_env"): ctx.storage,
            k("process", "env"): ctx.env,
            k("process", "execution_platform"): ctx.env,
            k("process", "created_by"): ctx.created_by,
            k("process", "project"): ctx.project,
        }

    def _optional(self, ctx: StageContext) -> dict[str, str]:
        k = self._key
        pairs = {
            k("paths", "spec_fp"): ctx.spec_fp,
            k("paths", "exec_fp"): ctx.exec_fp,
            k("paths", "conv_fp"): ctx.conv_fp,
            k("paths", "output_dir"): ctx.output_dir,
            k("paths", "refit_protocol_fp"): ctx.refit_protocol_fp,
            k("legacy", "trial_id"): ctx.trial_id,
            k("legacy", "parent_training_id"): ctx.parent_training_id,
            k("legacy", "benchmark_config_hash"): ctx.benchmark_config_hash,
            k("grouping", "group_id"): ctx.group_id,
        }
        if ctx.kind in _VARIANT_KINDS:
            pairs[k("legacy", "variant")] = str(ctx.variant)
        if ctx.kind in _TRIAL_KINDS and ctx.trial_number is not None:
            pairs[k("hpo", "trial_number")] = str(ctx.trial_number)
        return {key: value for key, value in pairs.items() if value is not None}

    def _grouping(self, ctx: StageContext, run_key_hash: str | None) -> dict[str, str]:
        return grouping_tags(
            self._registry,
            ctx.study_key_hash,
            ctx.trial_key_hash,
            ctx.study_family_hash,
            run_key_hash,
        )

    def _kind_markers(self, ctx: StageContext) -> dict[str, str]:
        k = self._key
        markers: dict[str, str] = {}
        if ctx.kind in MLFLOW_RUN_TYPE:
            markers[k("mlflow", "run_type")] = MLFLOW_RUN_TYPE[ctx.kind]
        if self._azure:
            markers.update(azure_ml_kind_tags(self._registry, ctx.kind))
        if ctx.kind is RunKind.FINAL_TRAINING:
            markers.update(training_tags(self._registry, "final", on_full_data=True))
        return markers


def grouping_tags(
    registry: TagKeyRegistry,
    study_key_hash: str | None = None,
    trial_key_hash: str | None = None,
    study_family_hash: str | None = None,
    run_key_hash: str | None = None,
) -> dict[str, str]:
    """The grouping hashes that are known, with ``code.grouping_schema_version`` if any is."""
    k = registry.key
    hashes = {
        k("grouping", "study_key_hash"): study_key_hash,
        k("grouping", "study_family_hash"): study_family_hash,
        k("grouping", "trial_key_hash"): trial_key_hash,
        k("grouping", "run_key_hash"): run_key_hash,
    }
    present = {key: value for key, value in hashes.items() if value}
    if present:
        present[k("grouping", "grouping_schema_version")] = GROUPING_SCHEMA_VERSION
    return present


def training_tags(
    registry: TagKeyRegistry, training_type: str = "final", on_full_data: bool = False
) -> dict[str, str]:
    """The tags of a training run.

    ``mlflow.runType=training`` and ``training_type``; for a model trained on all the data
    also ``code.trained_on_full_data=true``.
    """
    tags = {
        registry.key("mlflow", "run_type"): "training",
        registry.key("training_extra", "training_type"): training_type,
    }
    if on_full_data:
        tags[registry.key("training", "trained_on_full_data")] = "true"
    return tags
