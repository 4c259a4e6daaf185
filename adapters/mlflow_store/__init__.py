"""The MLflow tracking adapter. Importing this package imports mlflow (about 2.5 s)."""

from adapters.mlflow_store.tracking import MlflowTracking

__all__ = ["MlflowTracking"]
