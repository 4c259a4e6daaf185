"""trackwright's application layer: the container, the use cases and the seed functions.

Importing it does not import mlflow; the MLflow adapter loads when a container that
selects it first creates its tracking backend.
"""

from application.container import Container, build_container
from application.run_creation import RunCreation
from application.seed_api import (
    create_child_run,
    create_child_run_core,
    create_run_safe,
    create_training_child_run,
    create_training_mlflow_run,
    default_container,
    get_or_create_experiment,
    resolve_experiment_id,
    setup_mlflow_tracking_env,
    use_container,
)
from application.settings import TrackwrightSettings

__all__ = [
    "Container",
    "RunCreation",
    "TrackwrightSettings",
    "build_container",
    "create_child_run",
    "create_child_run_core",
    "create_run_safe",
    "create_training_child_run",
    "create_training_mlflow_run",
    "default_container",
    "get_or_create_experiment",
    "resolve_experiment_id",
    "setup_mlflow_tracking_env",
    "use_container",
]
