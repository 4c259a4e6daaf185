"""Checkpoint archives: a tar.gz of a checkpoint folder and a manifest of what it holds.

Nothing outside the folder is ever archived: a symlink is followed only when its target
resolves inside the folder, and linked folders are not entered.
"""

from __future__ import annotations

import json
import logging
import os
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from trackwright.application.use_cases.artifacts import upload_safely
from trackwright.domain.ports import ArtifactPort

logger = logging.getLogger(__name__)
ARCHIVE_ROOT = "best_trial_checkpoint"
SKIPPED_PARTS = (".tmp", ".cache", "__pycache__")
SKIPPED_NAMES = (".tmp", ".cache", "__pycache__", ".pyc", ".log")
MODEL_SUFFIXES = (".pt", ".pth", ".onnx", ".bin", ".safetensors")
MAX_PLAIN_FILE = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CheckpointArchive:
    """The archive on disk and its manifest."""

    path: Path
    manifest: dict[str, Any]


def _kept_files(root: Path) -> list[Path]:
    kept: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not any(p in d for p in SKIPPED_PARTS)]
        for name in files:
            path = Path(folder) / name
            if _archivable(root, path):
                kept.append(path)
    return sorted(kept)


def _archivable(root: Path, path: Path) -> bool:
    if any(part in path.name for part in SKIPPED_NAMES):
        return False
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        logger.warning("not archiving %s: it resolves outside %s", path, root)
        return False
    size = resolved.stat().st_size
    return size <= MAX_PLAIN_FILE or path.suffix in MODEL_SUFFIXES


def _temporary_archive() -> Path:
    handle, name = tempfile.mkstemp(suffix=".tar.gz", prefix="checkpoint_")
    os.close(handle)
    return Path(name)


def _entry(root: Path, path: Path) -> dict[str, Any]:
    return {"path": path.relative_to(root).as_posix(), "size": path.resolve().stat().st_size}


def create_checkpoint_archive(
    checkpoint_dir: str | Path, trial_number: int, output_path: str | Path | None = None
) -> CheckpointArchive:
    """Archive ``checkpoint_dir`` under ``best_trial_checkpoint/`` with a manifest.

    Raises:
        NotADirectoryError: ``checkpoint_dir`` is not a folder.
    """
    root = Path(checkpoint_dir)
    if not root.is_dir():
        raise NotADirectoryError(f"checkpoint folder {root} does not exist")
    target = Path(output_path) if output_path else _temporary_archive()
    files = _kept_files(root)
    entries = [_entry(root, p) for p in files]
    with tarfile.open(target, "w:gz") as archive:
        for path, entry in zip(files, entries, strict=True):
            archive.add(path.resolve(), arcname=f"{ARCHIVE_ROOT}/{entry['path']}", recursive=False)
    manifest: dict[str, Any] = {
        "trial_number": trial_number,
        "archive_format": "tar.gz",
        "extracted_path": ARCHIVE_ROOT,
        "files": entries,
        "total_size": sum(e["size"] for e in entries),
        "created_at": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "file_count": len(entries),
    }
    return CheckpointArchive(target, manifest)


def manifest_artifact_name(artifact_path: str | None) -> str:
    """Where the manifest goes beside an archive (never a ``*.json`` folder on Azure ML).

    ``checkpoint.tar.gz`` → ``checkpoint_manifest.json`` (same folder); ``x.json`` →
    ``checkpoint_x.json``; a folder ``dir`` → ``dir/checkpoint_manifest.json``; nothing →
    ``best_trial_checkpoint_manifest.json``.
    """
    if not artifact_path:
        return "best_trial_checkpoint_manifest.json"
    path = PurePosixPath(artifact_path)
    if path.name.endswith(".json"):
        return str(path.with_name(f"checkpoint_{path.name}"))
    for suffix in (".tar.gz", ".gz"):
        if path.name.endswith(suffix):
            return str(path.with_name(f"{path.name[: -len(suffix)]}_manifest.json"))
    return str(path / "checkpoint_manifest.json")


def upload_checkpoint_archive(
    store: ArtifactPort,
    archive: CheckpointArchive,
    run_id: str | None = None,
    artifact_path: str = "best_trial_checkpoint.tar.gz",
    max_retries: int = 5,
    base_delay: float = 2.0,
) -> bool:
    """Upload the archive under ``artifact_path`` and its manifest beside it.

    The manifest is best effort: its failure is logged and does not fail the upload.
    """
    with tempfile.TemporaryDirectory() as staging:
        named = Path(staging) / PurePosixPath(artifact_path).name
        named.symlink_to(archive.path.resolve())
        folder = str(PurePosixPath(artifact_path).parent).strip(".") or None
        if not upload_safely(store, named, folder, run_id, max_retries, base_delay):
            return False
        manifest_name = PurePosixPath(manifest_artifact_name(artifact_path))
        manifest_file = Path(staging) / manifest_name.name
        manifest_file.write_text(json.dumps(archive.manifest, indent=2))
        manifest_folder = str(manifest_name.parent).strip(".") or None
        if not upload_safely(store, manifest_file, manifest_folder, run_id, 3, base_delay):
            logger.warning("checkpoint manifest not uploaded; the archive is")
    return True


def upload_checkpoint(
    store: ArtifactPort,
    checkpoint_dir: str | Path,
    trial_number: int,
    run_id: str | None = None,
    artifact_path: str = "best_trial_checkpoint.tar.gz",
    base_delay: float = 2.0,
) -> bool:
    """Archive a checkpoint folder, upload it with its manifest, delete the archive.

    The temporary archive is removed whether the upload succeeded or not.
    """
    archive = create_checkpoint_archive(checkpoint_dir, trial_number)
    try:
        return upload_checkpoint_archive(
            store, archive, run_id, artifact_path, base_delay=base_delay
        )
    finally:
        archive.path.unlink(missing_ok=True)
