"""The MLflow tracking adapter. Importing this package imports mlflow (about 2.5 s)."""

from trackwright.adapters.mlflow_store.artifacts import MlflowArtifacts
from trackwright.adapters.mlflow_store.tracking import MlflowTracking

__all__ = ["MlflowArtifacts", "MlflowTracking"]
