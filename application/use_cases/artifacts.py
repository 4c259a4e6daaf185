"""Uploading artifacts that may fail without failing the training: the ``*_safe`` functions.

Retries are decided by error type (``application.seed.retries.is_retryable``); a missing local
file is reported at once rather than retried. They answer True/False, the original's
contract, and log why they answered False.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from trackwright.application.seed.retries import retry_with_backoff
from trackwright.domain.errors import TrackingError
from trackwright.domain.ports import ArtifactPort

logger = logging.getLogger(__name__)


def get_mlflow_run_id() -> str | None:
    """The active MLflow run's id, else ``MLFLOW_RUN_ID``, else None.

    The active run is read only if the application already imported mlflow (this never
    imports it, so code on the fake stays light).
    """
    mlflow = sys.modules.get("mlflow")
    active = mlflow.active_run() if mlflow is not None else None
    if active is not None:
        return str(active.info.run_id)
    return os.environ.get("MLFLOW_RUN_ID") or None


def upload_safely(
    store: ArtifactPort,
    local_path: str | Path,
    artifact_path: str | None = None,
    run_id: str | None = None,
    max_retries: int = 5,
    base_delay: float = 2.0,
) -> bool:
    """Upload a file or a folder; True when it is stored, False (logged) when it is not."""
    path = Path(local_path)
    target = run_id or get_mlflow_run_id()
    if not path.exists():
        logger.warning("artifact %s does not exist; nothing uploaded", path)
        return False
    if target is None:
        logger.warning("no run to attach %s to (no run id, no active run, no MLFLOW_RUN_ID)", path)
        return False
    upload = store.log_artifacts if path.is_dir() else store.log_artifact
    try:
        retry_with_backoff(
            lambda: upload(target, path, artifact_path),
            max_retries=max_retries,
            base_delay=base_delay,
            operation_name=f"upload of {path.name}",
        )
    except (TrackingError, OSError) as exc:
        logger.warning("artifact %s not uploaded to run %s: %s", path, target, exc)
        return False
    return True
