"""Run identity: study, family, trial and run keys, their hashes, and reading them back."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from trackwright.domain.errors import IdentityError, IncompleteRunKeyError
from trackwright.domain.identity import (
    data_fingerprint,
    hash_from_tags,
    kind_of_process,
    legacy_study_key_v1,
    looks_like_hash,
    normalised_hyperparameters,
    run_key,
    run_key_hash,
    run_key_of_process,
    sha256_hex,
    study_family_hash,
    study_family_key,
    study_key_hash_from_tags,
    study_key_hash_v2,
    study_key_v2,
    trial_key,
    trial_key_hash,
)
from trackwright.domain.model import RunKind
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.keys import TagKeyRegistry

DATA = {"name": "resume", "version": "v3", "split_seed": 7}
HPO = {"objective": {"metric": "macro-f1", "direction": "maximize"}, "k_fold": {"n": 5}}
TRAIN = {"seed_policy": "fixed"}
STUDY = "a" * 64


def test_study_key_v2_is_stable_hex_and_changes_with_the_model() -> None:
    first = study_key_hash_v2(DATA, HPO, TRAIN, "distilbert")
    assert first == study_key_hash_v2(dict(DATA), dict(HPO), dict(TRAIN), " DistilBERT ")
    assert looks_like_hash(first)
    assert first != study_key_hash_v2(DATA, HPO, TRAIN, "deberta")


def test_study_key_v2_binds_both_fingerprints_and_has_no_benchmark_section() -> None:
    payload = json.loads(study_key_v2(DATA, HPO, TRAIN, "distilbert"))
    assert payload["schema_version"] == "2.0"
    assert looks_like_hash(payload["data"]["data_fingerprint"])
    assert looks_like_hash(payload["evaluation"]["eval_fingerprint"])
    assert "benchmark" not in payload


def test_study_family_hash_differs_from_the_study_hash_and_ignores_the_model() -> None:
    family = study_family_hash(DATA, HPO)
    assert family != study_key_hash_v2(DATA, HPO, TRAIN, "distilbert")
    assert "model" not in json.loads(study_family_key(DATA, HPO))
    legacy = json.loads(legacy_study_key_v1(DATA, HPO, "bert"))
    assert legacy == {**json.loads(study_family_key(DATA, HPO)), "model": "bert"}


def test_data_fingerprint_prefers_content_then_manifest_then_semantic_fields() -> None:
    assert data_fingerprint({"content_hash": "c", "manifest_hash": "m"}) == sha256_hex("c")
    assert data_fingerprint({"manifest_hash": "m", "name": "x"}) == sha256_hex("m")
    assert data_fingerprint({"name": "x"}) != data_fingerprint({"name": "y"})


def test_float_noise_beyond_the_rounding_is_ignored_but_real_differences_are_not() -> None:
    assert trial_key_hash(STUDY, {"lr": 0.1 + 0.2}) == trial_key_hash(STUDY, {"lr": 0.3})
    assert trial_key_hash(STUDY, {"lr": 2.33e-05}) != trial_key_hash(STUDY, {"lr": 2.33000001e-05})
    assert trial_key_hash(STUDY, {"lr": -0.0}) == trial_key_hash(STUDY, {"lr": 0.0})


def test_int_and_float_and_bool_are_distinct_identities() -> None:
    hashes = {trial_key_hash(STUDY, {"x": value}) for value in (1, 1.0, True)}
    assert len(hashes) == 3


def test_strings_compare_without_case_or_surrounding_spaces() -> None:
    spellings = ["  ADAM  ", "Adam", "adam"]
    assert len({trial_key_hash(STUDY, {"optimizer": s}) for s in spellings}) == 1


def test_bookkeeping_params_are_not_part_of_the_trial_identity() -> None:
    with_bookkeeping = {"lr": 0.1, "backbone": "bert", "trial_number": 3, "run_id": "r"}
    assert trial_key_hash(STUDY, with_bookkeeping) == trial_key_hash(STUDY, {"lr": 0.1})
    assert normalised_hyperparameters(with_bookkeeping) == {"lr": 0.1}


def test_trial_key_text_is_the_original_canonical_json() -> None:
    key = trial_key(STUDY, {"opt": " Adam ", "lr": 0.1 + 0.2, "layers": 4})
    assert key == (
        '{"hyperparameters":{"layers":4,"lr":0.3,"opt":"adam"},'
        f'"schema_version":"2.0","study_key_hash":"{STUDY}"}}'
    )


@pytest.mark.parametrize("bad", [None, 12, b"abc", ""])
def test_a_study_hash_that_is_not_a_string_is_rejected(bad: object) -> None:
    with pytest.raises(IdentityError) as caught:
        trial_key(bad, {"lr": 0.1})  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)


@dataclass(frozen=True)
class Facts:
    model: str = "bert"
    trial_id: str | None = None
    study_key_hash: str | None = None
    fold_idx: int | None = None
    spec_fp: str | None = None
    exec_fp: str | None = None
    variant: int | str | None = 1
    parent_training_id: str | None = None
    conv_fp: str | None = None


@pytest.mark.parametrize(
    ("kind", "facts", "expected"),
    [
        (RunKind.SWEEP, Facts(study_key_hash="s1"), "hpo:bert:study_s1"),
        (RunKind.SWEEP, Facts(), "hpo:bert:study_unknown"),
        (RunKind.TRIAL, Facts(trial_id="trial_3"), "hpo:bert:trial_3"),
        (RunKind.FOLD, Facts(trial_id="trial_3", fold_idx=0), "hpo:bert:trial_3:fold_0"),
        (RunKind.REFIT, Facts(trial_id="trial_3"), "hpo_refit:bert:trial_3"),
        (RunKind.BENCHMARK, Facts(trial_id="trial_3"), "benchmark:bert:trial_3"),
        (
            RunKind.FINAL_TRAINING,
            Facts(spec_fp="s", exec_fp="e", variant=2),
            "final_training:bert:spec_s:exec_e:v2",
        ),
        (
            RunKind.CONVERSION,
            Facts(parent_training_id="spec_s_exec_e/v1", conv_fp="c"),
            "conversion:bert:spec_s_exec_e/v1:conv_c",
        ),
    ],
)
def test_each_kind_of_run_has_its_run_key(kind: RunKind, facts: Facts, expected: str) -> None:
    assert run_key(kind, facts) == expected
    assert run_key_hash(expected) == sha256_hex(expected)


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        (RunKind.TRIAL, "trial_id"),
        (RunKind.FOLD, "trial_id, fold_idx"),
        (RunKind.REFIT, "trial_id"),
        (RunKind.BENCHMARK, "trial_id"),
        (RunKind.FINAL_TRAINING, "spec_fp, exec_fp"),
        (RunKind.CONVERSION, "parent_training_id, conv_fp"),
    ],
)
def test_an_incomplete_run_key_names_what_is_missing(kind: RunKind, missing: str) -> None:
    with pytest.raises(IncompleteRunKeyError, match=missing):
        run_key(kind, Facts())


def test_original_process_types_map_to_kinds_of_run() -> None:
    assert kind_of_process("hpo", Facts()) is RunKind.SWEEP
    assert kind_of_process("hpo", Facts(trial_id="t")) is RunKind.TRIAL
    assert kind_of_process("benchmarking", Facts()) is RunKind.BENCHMARK
    assert run_key_of_process("best_configurations", Facts()) == "best_configurations:bert:unknown"


def test_a_stage_context_is_enough_to_build_its_run_key() -> None:
    ctx = StageContext(kind=RunKind.REFIT, model="bert", trial_id="trial_1")
    assert run_key(ctx.kind, ctx) == "hpo_refit:bert:trial_1"


def test_hashes_are_read_from_code_keys_first_then_legacy_grouping_keys() -> None:
    assert study_key_hash_from_tags({"code.grouping.study_key_hash": "old"}) == "old"
    both = {"code.study_key_hash": "new", "code.grouping.study_key_hash": "old"}
    assert study_key_hash_from_tags(both) == "new"
    assert study_key_hash_from_tags({"code.study_key_hash": "", "x": "y"}) is None


def test_a_renamed_registry_key_is_read_last() -> None:
    registry = TagKeyRegistry.with_overrides({"grouping": {"trial_key_hash": "my.trial"}})
    assert hash_from_tags({"my.trial": "t"}, "trial_key_hash", registry) == "t"
    assert hash_from_tags({"my.trial": "t"}, "trial_key_hash") is None
