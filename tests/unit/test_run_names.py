"""Run names per kind of run: templates, normalisation, validation, fallbacks."""

from __future__ import annotations

import pytest

from trackwright.domain.errors import InvalidRunNameError
from trackwright.domain.model import RunKind
from trackwright.domain.run_names import build_run_name, fallback_run_name, semantic_suffix
from trackwright.domain.stage_context import StageContext

STUDY = "350a79aa" + "0" * 56


def ctx(kind: RunKind, **fields: object) -> StageContext:
    return StageContext(kind=kind, model="distilbert", **fields)  # type: ignore[arg-type]


def test_trial_name_pads_the_trial_number_and_takes_a_version() -> None:
    trial = ctx(RunKind.TRIAL, study_key_hash=STUDY, trial_number=5)
    assert build_run_name(trial, version=1) == "local_distilbert_hpo_trial_study-350a79aa_t05_1"


def test_fold_names_never_take_a_version() -> None:
    fold = ctx(RunKind.FOLD, study_key_hash=STUDY, trial_number=5, fold_idx=0)
    assert build_run_name(fold, version=3) == "local_distilbert_hpo_trial_study-350a79aa_t05_fold0"


def test_sweep_name_has_no_redundant_model_suffix() -> None:
    sweep = ctx(RunKind.SWEEP, study_key_hash="584922ce" + "1" * 56, study_name="hpo_distilbert")
    assert build_run_name(sweep) == "local_distilbert_hpo_study-584922ce"
    custom = sweep.evolve(study_name="smoke test/a")
    assert build_run_name(custom) == "local_distilbert_hpo_study-584922ce_smoketest-a"


def test_semantic_suffix_is_cleaned_and_capped_at_30_characters() -> None:
    assert semantic_suffix("a" * 50, "bert") == "_" + "a" * 30
    assert semantic_suffix(None, "bert") == ""


def test_final_training_name_normalises_env_and_model() -> None:
    final = StageContext(
        kind=RunKind.FINAL_TRAINING,
        model="distil-bert",
        env="colab",
        spec_fp="abc123def4567890",
        exec_fp="xyz789abc1234567",
        variant=2,
    )
    assert (
        build_run_name(final, version=4)
        == "colab_distil_bert_final_training_spec-abc123de_exec-xyz789ab_v2"
    )


def test_refit_benchmark_and_conversion_names() -> None:
    base = dict(study_key_hash=STUDY, trial_key_hash="feedbeef" + "2" * 56, trial_number=3)
    assert (
        build_run_name(ctx(RunKind.REFIT, **base))
        == "local_distilbert_hpo_refit_study-350a79aa_trial-feedbeef_t03"
    )
    bench = ctx(RunKind.BENCHMARK, **base, benchmark_config_hash="0badcafe99")
    assert (
        build_run_name(bench, 2)
        == "local_distilbert_benchmark_study-350a79aa_trial-feedbeef_bench-0badcafe_2"
    )
    conv = ctx(RunKind.CONVERSION, spec_fp="s" * 10, exec_fp="e" * 10, conv_fp="c" * 10)
    assert (
        build_run_name(conv)
        == "local_distilbert_conversion_spec-ssssssss_exec-eeeeeeee_v1_conv-cccccccc"
    )


def test_trial_names_need_the_study_hash() -> None:
    with pytest.raises(InvalidRunNameError, match="without study_key_hash"):
        build_run_name(ctx(RunKind.TRIAL, trial_number=1))


def test_too_long_or_forbidden_names_are_refused() -> None:
    with pytest.raises(InvalidRunNameError, match="max_length"):
        build_run_name(ctx(RunKind.SWEEP, study_key_hash=STUDY).evolve(model="m" * 300))
    with pytest.raises(InvalidRunNameError, match="forbidden"):
        build_run_name(ctx(RunKind.SWEEP, study_key_hash=STUDY).evolve(env="a:b"))


def test_fallback_names() -> None:
    final = StageContext(kind=RunKind.FINAL_TRAINING, model="bert/base")
    assert fallback_run_name(final, "0123456789abcdef") == "local_bert_base_training_01234567"
    assert fallback_run_name(final) == "local_bert_base_training_unknown"
    fold = ctx(RunKind.FOLD, trial_number=2, fold_idx=1)
    assert fallback_run_name(fold) == "local_distilbert_hpo_trial_study-unknown_t02_fold1"
    assert fallback_run_name(ctx(RunKind.BENCHMARK)) == "training_run_benchmark"
