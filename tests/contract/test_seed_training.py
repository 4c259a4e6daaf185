"""Seed-compatible training helpers on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

import trackwright.application.seed.training as seed
from trackwright.application import Container
from trackwright.domain.errors import InvalidRunIdError
from trackwright.domain.model import RunKind, RunStatus
from trackwright.domain.stage_context import StageContext

pytestmark = pytest.mark.contract
TR, RR, SW = "a" * 32, "b" * 32, "c" * 32
LINEAGE = {
    "hpo_study_key_hash": "S",
    "hpo_trial_key_hash": "T",
    "hpo_trial_run_id": TR,
    "hpo_refit_run_id": RR,
    "hpo_sweep_run_id": SW,
}


def test_training_tags_with_lineage(container: Container) -> None:
    tags = seed.add_training_tags_with_lineage({"x": "1"}, LINEAGE, run_name="final")
    assert (
        tags["x"] == "1"
        and tags["mlflow.runType"] == "training"
        and tags["training_type"] == "final"
    )
    assert tags["mlflow.runName"] == "final" and tags["code.trained_on_full_data"] == "true"
    assert (
        tags["code.study_key_hash"],
        tags["code.trial_key_hash"],
        tags["code.grouping_schema_version"],
    ) == ("S", "T", "1")
    assert (
        tags["code.lineage.source"] == "hpo_best_selected"
        and tags["code.lineage.hpo_sweep_run_id"] == SW
    )


def test_empty_lineage_gives_only_the_training_tags(container: Container) -> None:
    tags = seed.add_training_tags_with_lineage(None, {})
    assert tags == {
        "mlflow.runType": "training",
        "training_type": "final",
        "code.trained_on_full_data": "true",
    }


def test_lineage_ids_of_neither_form_are_refused(container: Container) -> None:
    with pytest.raises(InvalidRunIdError):
        seed.add_training_tags_with_lineage({}, {"hpo_trial_run_id": "trial-25d03eeb"})


def test_apply_lineage_tags_never_changes_the_run_status(
    container: Container, unique_name: str
) -> None:
    run = container.runs().create_standalone(unique_name, "final")
    container.backend().set_terminated(run.run_id, RunStatus.FAILED)
    report = seed.apply_lineage_tags(unique_name, run_id=run.run_id, lineage=LINEAGE)
    stored = container.backend().get_run(run.run_id)
    assert report.found and report.strategy_used == "direct_run_id"
    assert stored.status is RunStatus.FAILED
    assert (
        stored.tags["code.lineage.hpo_refit_run_id"] == RR
        and stored.tags["code.trained_on_full_data"] == "true"
    )


def test_apply_lineage_tags_does_not_fall_back_to_the_most_recent_run(
    container: Container, unique_name: str
) -> None:
    run = container.runs().create_standalone(unique_name, "unrelated")
    report = seed.apply_lineage_tags(unique_name, lineage=LINEAGE)
    assert not report.found
    assert "code.lineage.source" not in container.backend().get_run(run.run_id).tags


def test_run_name_override_systematic_and_fallback(container: Container) -> None:
    ctx = StageContext(
        kind=RunKind.TRIAL, model="bert", study_key_hash="1234567890", trial_number=3, fold_idx=1
    )
    assert (
        seed.build_training_run_name_with_fallback(
            "hpo_trial", ctx, environ={"MLFLOW_RUN_NAME": " mine "}
        )
        == "mine"
    )
    assert (
        seed.build_training_run_name_with_fallback("hpo_trial_fold", ctx, environ={})
        == "local_bert_hpo_trial_study-12345678_t03_fold1"
    )
    no_hash = ctx.evolve(study_key_hash=None)
    assert (
        seed.build_training_run_name_with_fallback("hpo_trial", no_hash, environ={})
        == "local_bert_hpo_trial_study-unknown_t03_fold1"
    )
    assert (
        seed.build_training_run_name_with_fallback(
            "final_training",
            StageContext(kind=RunKind.FINAL_TRAINING, model="m"),
            "0123456789",
            environ={},
        )
        == "local_m_training_01234567"
    )
    assert (
        seed.build_training_run_name_with_fallback("other", None, environ={})
        == "training_run_other"
    )


def test_run_url_for_a_server_has_no_credentials(container: Container) -> None:
    url = seed.get_mlflow_run_url("1", "abc", "http://u:pw@h:5000")
    assert url == "http://h:5000/#/experiments/1/runs/abc"


def test_run_url_for_a_local_store_is_the_mlflow_ui_hint(container: Container) -> None:
    assert seed.get_mlflow_run_url("1", "abc", "sqlite:///x.db").startswith(
        "mlflow ui --backend-store-uri sqlite:///x.db"
    )


def test_log_artifact_safe_uploads_to_the_run_and_answers_true(
    container: Container, unique_name: str, tmp_path: Path
) -> None:
    run = container.runs().create_standalone(unique_name, "final")
    (tmp_path / "metrics.json").write_text("{}")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").write_text("a")
    assert seed.log_artifact_safe(tmp_path / "metrics.json", run_id=run.run_id, base_delay=0)
    assert seed.log_artifacts_safe(tmp_path / "out", "outputs", run_id=run.run_id, base_delay=0)
    assert not seed.log_artifact_safe(tmp_path / "missing.bin", run_id=run.run_id, base_delay=0)
    assert container.artifacts().list_artifacts(run.run_id) == ["metrics.json", "outputs/a.txt"]


SEED_TRAINING_SIGNATURES = {
    "log_artifact_safe": ["local_path", "artifact_path", "run_id", "max_retries", "base_delay"],
    "log_artifacts_safe": ["local_dir", "artifact_path", "run_id", "max_retries", "base_delay"],
    "retry_with_backoff": ["func", "max_retries", "base_delay", "max_delay", "operation_name"],
    "get_mlflow_run_url": ["experiment_id", "run_id", "tracking_uri"],
    "get_mlflow_run_id": [],
    "add_training_tags": ["tags", "run_name", "training_type"],
    "add_training_tags_with_lineage": ["tags", "lineage", "run_name", "training_type"],
    "apply_lineage_tags": [
        "experiment_name",
        "context",
        "output_dir",
        "root_dir",
        "config_dir",
        "lineage",
        "run_id",
    ],
    "build_training_run_name_with_fallback": ["process_type", "context", "run_id", "environ"],
}


@pytest.mark.parametrize("name", list(SEED_TRAINING_SIGNATURES))
def test_training_seed_functions_are_importable_from_application(name: str) -> None:
    import inspect

    from trackwright import application

    assert (
        list(inspect.signature(getattr(application, name)).parameters)
        == SEED_TRAINING_SIGNATURES[name]
    )
