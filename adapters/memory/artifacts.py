"""``InMemoryArtifacts``: artifact storage for the fake, kept as bytes per run."""

from __future__ import annotations

import threading
from pathlib import Path, PurePosixPath

from trackwright.adapters.memory.tracking import InMemoryTracking


class InMemoryArtifacts:
    """Stores uploaded files in memory; unknown runs are refused as MLflow refuses them.

    Attributes:
        files: ``{run_id: {relative path: content}}``.
    """

    def __init__(self, tracking: InMemoryTracking) -> None:
        self._tracking = tracking
        self._lock = threading.Lock()
        self.files: dict[str, dict[str, bytes]] = {}

    def _store(self, run_id: str, relative: PurePosixPath, content: bytes) -> None:
        self._tracking.get_run(run_id)
        with self._lock:
            self.files.setdefault(run_id, {})[str(relative)] = content

    def log_artifact(self, run_id: str, local_path: Path, artifact_path: str | None = None) -> None:
        """See ``ArtifactPort.log_artifact``."""
        source = Path(local_path)
        content = source.read_bytes()
        self._store(run_id, PurePosixPath(artifact_path or "") / source.name, content)

    def log_artifacts(self, run_id: str, local_dir: Path, artifact_path: str | None = None) -> None:
        """See ``ArtifactPort.log_artifacts``."""
        root = Path(local_dir)
        self._tracking.get_run(run_id)
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = PurePosixPath(artifact_path or "") / file.relative_to(root).as_posix()
            self._store(run_id, relative, file.read_bytes())

    def list_artifacts(self, run_id: str) -> list[str]:
        """See ``ArtifactPort.list_artifacts``."""
        self._tracking.get_run(run_id)
        with self._lock:
            return sorted(self.files.get(run_id, {}))
