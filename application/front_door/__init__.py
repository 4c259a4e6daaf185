"""trackwright: create, tag, link and find the MLflow runs of a training app.

One import gives the everyday names::

    import trackwright

    container = trackwright.build_container(trackwright.TrackwrightSettings(backend="memory"))
    trackwright.use_container(container)        # the seed functions and the CLI agree with it
    sweep = container.sweep_tracker(experiment_id, trackwright.StageContext(
        kind=trackwright.RunKind.SWEEP, model="distilbert"))

Names load on first use (PEP 562), so ``import trackwright`` costs next to nothing and
imports neither mlflow nor the DI container library. The layers stay importable on their
own: ``trackwright.domain``, ``trackwright.adapters``, ``trackwright.application``;
``trackwright.testing`` holds the shipped TrackingPort contract suite.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from trackwright.application.exports import EVERYDAY, SEED_FUNCTIONS

__version__ = "0.1.0"
__all__ = sorted([*EVERYDAY, *SEED_FUNCTIONS])

if TYPE_CHECKING:  # the names as mypy and IDEs see them; at run time __getattr__ loads them
    from trackwright.adapters.memory import InMemoryTracking as InMemoryTracking
    from trackwright.application.backends import Backend as Backend
    from trackwright.application.backends import available_backends as available_backends
    from trackwright.application.trackers import BenchmarkResult as BenchmarkResult
    from trackwright.application.trackers import ModelStages as ModelStages
    from trackwright.application.trackers import SweepScope as SweepScope
    from trackwright.application.trackers import SweepTracker as SweepTracker
    from trackwright.application.trackers import TrialScope as TrialScope
    from trackwright.application.typed_names import *  # noqa: F403
    from trackwright.application.use_cases.lineage_query import LineageQuery as LineageQuery
    from trackwright.application.use_cases.lineage_query import LineageStep as LineageStep
    from trackwright.domain.errors import DomainError as DomainError
    from trackwright.domain.errors import TrackingError as TrackingError
    from trackwright.domain.finding.query import RunQuery as RunQuery
    from trackwright.domain.model import Metric as Metric
    from trackwright.domain.model import Run as Run
    from trackwright.domain.model import RunKind as RunKind
    from trackwright.domain.model import RunStatus as RunStatus
    from trackwright.domain.stage_context import StageContext as StageContext
    from trackwright.domain.tags.lineage import Lineage as Lineage


def __getattr__(name: str) -> Any:
    module = EVERYDAY.get(name) or SEED_FUNCTIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'trackwright' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
