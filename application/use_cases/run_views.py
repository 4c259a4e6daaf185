"""Reading runs of either shape: trackwright's ``Run`` or an MLflow run (``info``/``data``).

The seed functions accept the runs a training app already holds, so migrating callers can
pass MLflow runs from their own ``MlflowClient`` without converting them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def tags_of(run: Any) -> Mapping[str, str]:
    """The run's tags."""
    data = getattr(run, "data", None)
    return data.tags if data is not None else run.tags  # type: ignore[no-any-return]


def metrics_of(run: Any) -> Mapping[str, float]:
    """The run's latest metric values."""
    data = getattr(run, "data", None)
    return data.metrics if data is not None else run.metrics  # type: ignore[no-any-return]


def start_and_id_of(run: Any) -> tuple[int, str]:
    """``(start_time, run_id)``: the deterministic tie-break order."""
    info = getattr(run, "info", run)
    return int(getattr(info, "start_time", 0) or 0), str(info.run_id)


def is_mlflow_client(client: object) -> bool:
    """Whether ``client`` is an ``MlflowClient`` (checked without importing mlflow)."""
    return type(client).__module__.split(".")[0] == "mlflow"
