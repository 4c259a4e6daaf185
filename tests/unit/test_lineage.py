"""Lineage value object and tags (acceptance scenarios 29-30)."""

from __future__ import annotations

import uuid

import pytest

from trackwright.domain.errors import InvalidRunIdError
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.lineage import (
    Lineage,
    benchmark_lineage_tags,
    conversion_lineage_tags,
    lineage_tags,
)

REG = TagKeyRegistry.defaults()
TR, RR, SW = "a" * 32, "b" * 32, str(uuid.uuid4())


def test_best_model_lineage_becomes_lineage_tags() -> None:
    best = {
        "study_key_hash": "S",
        "trial_key_hash": "T",
        "trial_run_id": TR,
        "run_id": RR,
        "tags": {"code.lineage.hpo_sweep_run_id": SW},
    }
    assert lineage_tags(Lineage.from_best_model(best), REG) == {
        "code.lineage.source": "hpo_best_selected",
        "code.lineage.hpo_study_key_hash": "S",
        "code.lineage.hpo_trial_key_hash": "T",
        "code.lineage.hpo_trial_run_id": TR,
        "code.lineage.hpo_refit_run_id": RR,
        "code.lineage.hpo_sweep_run_id": SW,
    }


def test_hashes_fall_back_to_the_best_models_tags() -> None:
    best = {"tags": {"code.study_key_hash": "S2", "code.trial_key_hash": "T2"}}
    lineage = Lineage.from_best_model(best)
    assert (lineage.hpo_study_key_hash, lineage.hpo_trial_key_hash) == ("S2", "T2")


def test_empty_lineage_has_no_tags() -> None:
    assert lineage_tags(Lineage(), REG) == {}


def test_benchmark_parent_is_trial_then_refit_then_sweep_in_both_id_forms() -> None:
    tags = benchmark_lineage_tags(
        Lineage(hpo_trial_run_id=TR, hpo_refit_run_id=RR, hpo_sweep_run_id=SW), REG
    )
    assert (tags["code.lineage.parent_training_run_id"], tags["code.lineage.parent_kind"]) == (
        TR,
        "trial",
    )
    tags = benchmark_lineage_tags(Lineage(hpo_refit_run_id=RR, hpo_sweep_run_id=SW), REG)
    assert (tags["code.lineage.parent_training_run_id"], tags["code.lineage.parent_kind"]) == (
        RR,
        "refit",
    )
    tags = benchmark_lineage_tags(Lineage(hpo_sweep_run_id=SW), REG)
    assert (tags["code.lineage.parent_training_run_id"], tags["code.lineage.parent_kind"]) == (
        SW,
        "sweep",
    )


@pytest.mark.parametrize("bad", ["1_20251231_161745", "trial-25d03eeb", "g" * 32, ""])
def test_ids_of_neither_form_are_refused_not_dropped(bad: str) -> None:
    with pytest.raises(InvalidRunIdError):
        Lineage(hpo_trial_run_id=bad)


def test_conversion_lineage_names_the_final_training_run_and_fingerprints() -> None:
    assert conversion_lineage_tags(TR, "spec", "exec", REG) == {
        "code.lineage.source": "final_training",
        "code.lineage.parent_training_run_id": TR,
        "code.lineage.parent_spec_fp": "spec",
        "code.lineage.parent_exec_fp": "exec",
    }


def test_lineage_reads_back_from_tags() -> None:
    lineage = Lineage(hpo_study_key_hash="S", hpo_refit_run_id=RR)
    assert Lineage.from_tags(lineage_tags(lineage, REG), REG) == lineage


def test_a_benchmark_of_a_final_model_names_that_run_as_its_parent() -> None:
    final = "f" * 32
    tags = benchmark_lineage_tags(Lineage(hpo_trial_run_id=TR).for_benchmark(final), REG)
    assert (tags["code.lineage.parent_training_run_id"], tags["code.lineage.parent_kind"]) == (
        final,
        "final_training",
    )
    assert tags["code.lineage.hpo_trial_run_id"] == TR
