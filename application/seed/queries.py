"""Seed-compatible queries: ``query_runs_by_tags``, best by metric, grouped by variant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from trackwright.application.seed.store_selection import default_container
from trackwright.application.use_cases.run_views import (
    is_mlflow_client,
    metrics_of,
    start_and_id_of,
    tags_of,
)
from trackwright.domain.errors import UnsupportedFilterError
from trackwright.domain.finding.queries import RunQueries, best_by, group_by
from trackwright.domain.model import Run
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

T = TypeVar("T")
DEFAULT_MLFLOW_MAX_RESULTS = 1000


def _queries_for(client: Any) -> RunQueries:
    if client is None:
        return default_container().run_queries()
    if is_mlflow_client(client):
        return default_container(str(client.tracking_uri)).run_queries()
    return RunQueries(cast(TrackingPort, client), TagKeyRegistry.defaults())


def query_runs_by_tags(
    client: Any,
    experiment_ids: Sequence[str] | str,
    required_tags: Mapping[str, str],
    filter_string: str = "",
    max_results: int | None = DEFAULT_MLFLOW_MAX_RESULTS,
) -> list[Run]:
    """FINISHED runs whose tags equal every ``required_tags`` value, newest first.

    ``client`` may be None (the default container), an ``MlflowClient`` (its tracking URI
    selects the container) or a tracking port such as ``InMemoryTracking``.

    Changes from the original: status and tag equality are evaluated by the backend
    before ``max_results`` counts, and results page past 1000 (the original filtered
    client-side after the cut, so matches beyond the first page were lost, W-12); values
    with any quotes match exactly (W-5); ``max_results=None`` returns every match; runs
    are trackwright ``Run`` objects (``run.tags``, ``run.metrics``, ``run.run_id``).

    Raises:
        UnsupportedFilterError: A non-empty ``filter_string``: raw filter strings are
            where the original's quoting broke (W-5); pass conditions as
            ``required_tags``.
    """
    if filter_string.strip():
        raise UnsupportedFilterError(
            f"filter strings are not accepted ({filter_string!r}); pass tag equalities "
            "as required_tags, which are quoted correctly and filtered by the backend"
        )
    ids = [experiment_ids] if isinstance(experiment_ids, str) else list(experiment_ids)
    return _queries_for(client).finished_with_tags(ids, required_tags, max_results)


def find_best_run_by_metric(runs: Iterable[T], metric_name: str, maximize: bool = True) -> T | None:
    """The run with the highest (``maximize=False``: lowest) value of ``metric_name``.

    Accepts trackwright runs or MLflow runs. Changes from the original: NaN values are
    ignored like missing ones (the original could return a NaN run or skip real values,
    depending on order); ties go to the run that started first, then the smallest run id,
    so the answer does not depend on input order (the original kept the first in input).
    """
    return best_by(runs, lambda r: metrics_of(r).get(metric_name), start_and_id_of, maximize)


def group_runs_by_variant(
    runs: Iterable[T], variant_tag: str = "code.variant"
) -> dict[str, list[T]]:
    """Runs grouped by ``variant_tag``; runs without it go under ``"default"``.

    Same as the original: lists keep input order, groups appear in first-seen order, no
    runs give ``{}``. Accepts trackwright runs or MLflow runs.
    """
    return group_by(runs, lambda r: tags_of(r).get(variant_tag))
