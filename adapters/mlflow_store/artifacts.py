"""``MlflowArtifacts``: the artifact port over ``MlflowClient``."""

from __future__ import annotations

from pathlib import Path

from trackwright.adapters.mlflow_store.errors import translating
from trackwright.adapters.mlflow_store.tracking import MlflowTracking


class MlflowArtifacts:
    """Uploads and lists run artifacts in the run's MLflow artifact store.

    It shares the ``MlflowClient`` of the tracking adapter, so credentials configured for
    the store apply to artifacts too.
    """

    def __init__(self, tracking: MlflowTracking) -> None:
        self._client = tracking.client

    def log_artifact(self, run_id: str, local_path: Path, artifact_path: str | None = None) -> None:
        """See ``ArtifactPort.log_artifact``."""
        with translating("log_artifact"):
            self._client.log_artifact(run_id, str(local_path), artifact_path)

    def log_artifacts(self, run_id: str, local_dir: Path, artifact_path: str | None = None) -> None:
        """See ``ArtifactPort.log_artifacts``."""
        with translating("log_artifacts"):
            self._client.log_artifacts(run_id, str(local_dir), artifact_path)

    def list_artifacts(self, run_id: str) -> list[str]:
        """See ``ArtifactPort.list_artifacts``."""
        found: list[str] = []
        pending: list[str | None] = [None]
        with translating("list_artifacts"):
            while pending:
                for info in self._client.list_artifacts(run_id, pending.pop()):
                    (pending if info.is_dir else found).append(info.path)
        return sorted(found)
