"""Artifacts: safe uploads, checkpoint archives that never leave their folder. Every backend."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from trackwright.application import Container
from trackwright.application.use_cases.artifacts import get_mlflow_run_id, upload_safely
from trackwright.application.use_cases.checkpoints import (
    create_checkpoint_archive,
    manifest_artifact_name,
    upload_checkpoint,
    upload_checkpoint_archive,
)
from trackwright.domain.model import Run

pytestmark = pytest.mark.contract


@pytest.fixture
def run(container: Container, unique_name: str) -> Run:
    return container.runs().create_standalone(unique_name, "refit")


def test_files_and_folders_are_uploaded(container: Container, run: Run, tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("{}")
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    (tmp_path / "dir" / "sub" / "a.txt").write_text("a")
    store = container.artifacts()
    assert upload_safely(store, tmp_path / "report.json", run_id=run.run_id, base_delay=0)
    assert upload_safely(store, tmp_path / "dir", "outputs", run_id=run.run_id, base_delay=0)
    assert store.list_artifacts(run.run_id) == ["outputs/sub/a.txt", "report.json"]


def test_a_missing_file_or_an_unknown_run_answers_false(
    container: Container, run: Run, tmp_path: Path
) -> None:
    store = container.artifacts()
    assert not upload_safely(store, tmp_path / "absent.bin", run_id=run.run_id, base_delay=0)
    (tmp_path / "f.txt").write_text("x")
    assert not upload_safely(
        store, tmp_path / "f.txt", run_id="0" * 32, max_retries=2, base_delay=0
    )


def test_the_checkpoint_archive_and_manifest_are_uploaded(
    container: Container, run: Run, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "checkpoint"
    checkpoint.mkdir()
    (checkpoint / "model.safetensors").write_bytes(b"\0" * 10)
    archive = create_checkpoint_archive(
        checkpoint, trial_number=3, output_path=tmp_path / "c.tar.gz"
    )
    assert upload_checkpoint_archive(
        container.artifacts(), archive, run.run_id, "best_trial_checkpoint.tar.gz", base_delay=0
    )
    assert container.artifacts().list_artifacts(run.run_id) == [
        "best_trial_checkpoint.tar.gz",
        "best_trial_checkpoint_manifest.json",
    ]


def test_upload_checkpoint_uploads_and_deletes_its_temporary_archive(
    container: Container, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    checkpoint = tmp_path / "ckpt"
    checkpoint.mkdir()
    (checkpoint / "model.bin").write_bytes(b"w")
    assert upload_checkpoint(container.artifacts(), checkpoint, 2, run.run_id, base_delay=0)
    assert "best_trial_checkpoint.tar.gz" in container.artifacts().list_artifacts(run.run_id)
    assert list((tmp_path / "tmp").glob("checkpoint_*.tar.gz")) == []


def test_the_archive_never_holds_files_outside_its_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("credentials")
    outside_dir = tmp_path / "outside"
    outside_dir.mkdir()
    (outside_dir / "x.bin").write_text("x")
    checkpoint = tmp_path / "checkpoint"
    (checkpoint / "nested").mkdir(parents=True)
    (checkpoint / "config.json").write_text("{}")
    (checkpoint / "nested" / "weights.bin").write_text("w")
    (checkpoint / "train.log").write_text("skipped")
    (checkpoint / "leak.txt").symlink_to(secret)
    (checkpoint / "linked_dir").symlink_to(outside_dir, target_is_directory=True)
    (checkpoint / "alias.json").symlink_to(checkpoint / "config.json")
    archive = create_checkpoint_archive(
        checkpoint, trial_number=1, output_path=tmp_path / "a.tar.gz"
    )
    with tarfile.open(archive.path) as tar:
        names = sorted(tar.getnames())
        assert all(not m.issym() and not m.islnk() for m in tar.getmembers())
    assert names == [
        "best_trial_checkpoint/alias.json",
        "best_trial_checkpoint/config.json",
        "best_trial_checkpoint/nested/weights.bin",
    ]
    assert archive.manifest["file_count"] == 3 and archive.manifest["trial_number"] == 1
    assert json.dumps(archive.manifest)


@pytest.mark.parametrize(
    ("artifact_path", "expected"),
    [
        (None, "best_trial_checkpoint_manifest.json"),
        ("checkpoint.tar.gz", "checkpoint_manifest.json"),
        ("out/checkpoint.tar.gz", "out/checkpoint_manifest.json"),
        ("manifest.json", "checkpoint_manifest.json"),
        ("models", "models/checkpoint_manifest.json"),
    ],
)
def test_manifest_names_avoid_json_folders(artifact_path: str | None, expected: str) -> None:
    assert manifest_artifact_name(artifact_path) == expected


def test_run_id_comes_from_the_environment_without_importing_mlflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_RUN_ID", "abc")
    monkeypatch.delitem(__import__("sys").modules, "mlflow", raising=False)
    assert get_mlflow_run_id() == "abc"
