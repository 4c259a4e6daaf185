"""Queries over runs: by tags, by trial id, best by metric, grouped by variant.

Every condition is pushed into the ``RunQuery``, so the backend filters before it counts;
the original filtered status and tags client-side after cutting at 1000 runs (W-12).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run, RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

T = TypeVar("T")
TRIAL_ID_PAGE_SIZE = 100
DEFAULT_VARIANT = "default"


def iter_runs(tracking: TrackingPort, query: RunQuery, page_size: int) -> Iterator[Run]:
    """Every run ``query`` matches, fetched ``page_size`` at a time, lazily."""
    page_query = query.model_copy(update={"max_results": page_size})
    while True:
        page = tracking.search_runs(page_query)
        yield from page.runs
        if page.next_page_token is None:
            return
        page_query = page_query.model_copy(update={"page_token": page.next_page_token})


class RunQueries:
    """Tag and trial-id queries over the tracking port, with keys from the registry."""

    def __init__(
        self,
        tracking: TrackingPort,
        registry: TagKeyRegistry,
        trial_id_page_size: int = TRIAL_ID_PAGE_SIZE,
    ) -> None:
        self._tracking = tracking
        self._page_size = trial_id_page_size
        self._trial_id_tag = registry.key("legacy", "trial_id")
        self._interrupted_tag = registry.key("training", "interrupted")
        self._run_type_tag = registry.key("process", "run_type")

    def finished_with_tags(
        self,
        experiment_ids: Sequence[str],
        required_tags: Mapping[str, str],
        max_results: int | None = None,
    ) -> list[Run]:
        """FINISHED runs whose tags equal every ``required_tags`` value, newest first.

        ``max_results`` counts matching runs (None: all of them; the adapter pages).
        """
        query = RunQuery(
            experiment_ids=tuple(experiment_ids),
            tags=dict(required_tags),
            statuses=frozenset({RunStatus.FINISHED}),
            max_results=max_results,
        )
        return list(self._tracking.search_runs(query).runs)

    def latest_by_trial_id(self, trial_id: str, experiment_ids: Sequence[str]) -> Run | None:
        """The newest trial run tagged with ``trial_id`` that was not interrupted, or None.

        MLflow's filter grammar has no ``OR`` and no ``IS NULL`` (the original's filter
        failed every time, W-4), so the server matches the trial id exactly and the rest
        is checked here, page by page, until a match turns up (nothing is lost to a page
        limit): runs of another kind are skipped (folds and refits carry the trial id
        too), and so are ``code.interrupted = "true"`` runs unless a later attempt
        resumed and finished them.
        """
        query = RunQuery(experiment_ids=tuple(experiment_ids), tags={self._trial_id_tag: trial_id})
        for run in iter_runs(self._tracking, query, self._page_size):
            if self._is_usable_trial(run):
                return run
        return None

    def _is_usable_trial(self, run: Run) -> bool:
        if run.tags.get(self._run_type_tag, "trial") != "trial":
            return False
        interrupted = run.tags.get(self._interrupted_tag) == "true"
        return not interrupted or run.status is RunStatus.FINISHED


def usable_number(value: object) -> float | None:
    """``value`` as a float when it is a real number and not NaN, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)


def best_by(
    items: Iterable[T],
    value: Callable[[T], object],
    tie_order: Callable[[T], tuple[int, str]],
    maximize: bool = True,
) -> T | None:
    """The item with the best usable value; ties go to the smallest ``tie_order``."""
    sign = -1.0 if maximize else 1.0
    best: tuple[float, tuple[int, str], T] | None = None
    for item in items:
        number = usable_number(value(item))
        if number is None:
            continue
        rank = (sign * number, tie_order(item))
        if best is None or rank < best[:2]:
            best = (rank[0], rank[1], item)
    return None if best is None else best[2]


def best_run_by_metric(runs: Iterable[Run], metric_name: str, maximize: bool = True) -> Run | None:
    """The run with the highest (or, ``maximize=False``, lowest) value of the metric.

    Runs without the metric, or with NaN, are ignored; None when no run qualifies.
    Ties go to the run that started first, then to the smallest run id: the answer does
    not depend on the order of ``runs`` (the original kept the first in input order).
    """
    return best_by(
        runs, lambda r: r.metrics.get(metric_name), lambda r: (r.start_time, r.run_id), maximize
    )


def group_by(items: Iterable[T], tag: Callable[[T], str | None]) -> dict[str, list[T]]:
    """Items grouped by a tag value (``default`` when missing), in first-seen order."""
    groups: dict[str, list[T]] = {}
    for item in items:
        value = tag(item)
        groups.setdefault(DEFAULT_VARIANT if value is None else value, []).append(item)
    return groups


def group_runs_by_variant(
    runs: Iterable[Run], variant_tag: str = "code.variant"
) -> dict[str, list[Run]]:
    """Runs grouped by their variant tag; runs without it go under ``default``."""
    return group_by(runs, lambda r: r.tags.get(variant_tag))
