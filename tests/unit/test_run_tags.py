"""The tags of each kind of run share one taxonomy."""

from __future__ import annotations

from trackwright.domain.model import RunKind
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.run_tags import RunTagBuilder

S, T = "s" * 64, "t" * 64


def build(kind: RunKind, azure: bool = False, **fields: object) -> dict[str, str]:
    context = StageContext(kind=kind, model="bert", **fields)  # type: ignore[arg-type]
    return RunTagBuilder(TagKeyRegistry.defaults(), azure).tags(context, run_key_hash="k" * 64)


def test_every_kind_writes_run_type_stage_and_run_key() -> None:
    for kind in RunKind:
        tags = build(kind)
        assert tags["code.run_type"] == kind.value
        assert tags["code.run_key_hash"] == "k" * 64
        assert tags["code.grouping_schema_version"] == "1"
        assert tags["code.model"] == tags["code.backbone"] == "bert"


def test_fold_runs_carry_the_identity_tags() -> None:
    tags = build(RunKind.FOLD, study_key_hash=S, trial_key_hash=T, trial_number=4, fold_idx=2)
    assert tags["code.stage"] == "hpo"
    assert (tags["code.study_key_hash"], tags["code.trial_key_hash"]) == (S, T)
    assert tags["code.hpo.trial_number"] == "4"
    assert "fold_idx" not in tags and "trial_number" not in tags  # the child-run policy's


def test_variant_only_on_final_training_and_conversion() -> None:
    assert "code.variant" not in build(RunKind.TRIAL, trial_number=1)
    assert build(RunKind.FINAL_TRAINING, variant=2)["code.variant"] == "2"
    assert build(RunKind.CONVERSION)["code.variant"] == "1"


def test_final_training_markers() -> None:
    tags = build(RunKind.FINAL_TRAINING, spec_fp="a", exec_fp="b")
    assert (tags["mlflow.runType"], tags["training_type"], tags["code.trained_on_full_data"]) == (
        "training",
        "final",
        "true",
    )
    assert tags["code.stage"] == "final_training"


def test_azure_run_types_only_on_azure_ml() -> None:
    assert "azureml.runType" not in build(RunKind.SWEEP)
    sweep = build(RunKind.SWEEP, azure=True)
    assert (sweep["azureml.runType"], sweep["azureml.sweep"]) == ("sweep", "true")
    assert build(RunKind.REFIT, azure=True)["azureml.runType"] == "refit"
    assert "azureml.runType" not in build(RunKind.TRIAL, azure=True, trial_number=0)


def test_refit_stage_and_no_hash_tags_without_hashes() -> None:
    tags = RunTagBuilder(TagKeyRegistry.defaults()).tags(
        StageContext(kind=RunKind.REFIT, model="m")
    )
    assert tags["code.stage"] == "hpo_refit" and tags["mlflow.runType"] == "refit"
    assert "code.grouping_schema_version" not in tags
