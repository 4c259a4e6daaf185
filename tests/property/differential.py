"""Apply one operation to two backends and compare what a caller can observe.

Ids differ between backends, so each experiment and run gets a symbol (``E0``, ``R3``)
when it is created on both, and every observation names symbols instead of ids. NaN is
compared as the string ``"nan"``. An error is observed as its class name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from tests.property.operations import METRIC_KEYS, PARAM_KEYS, TAG_KEYS, Operation
from trackwright.domain.errors import TrackingError
from trackwright.domain.finding.query import OrderBy, RunPage, RunQuery
from trackwright.domain.model import Experiment, Run
from trackwright.domain.ports import TrackingPort

SNAPSHOT_ORDERS = [
    *(OrderBy(key, "metric", ascending) for key in METRIC_KEYS for ascending in (True, False)),
    *(OrderBy(key, "param", True) for key in PARAM_KEYS),
    *(OrderBy(key, "tag", False) for key in TAG_KEYS),
    *(OrderBy(key, "attribute", True) for key in ("end_time", "run_name", "status")),
    OrderBy("start_time", "attribute", False),
]
"""Orders the final search is made in: the state's every ordering, seen at once."""


class Side:
    """One backend and the ids it gave to each symbol."""

    def __init__(self, tracking: TrackingPort) -> None:
        self.tracking = tracking
        self.experiments: list[str] = []
        self.runs: list[str] = []
        self.symbols: dict[str, str] = {}

    def symbol(self, backend_id: str | None) -> str | None:
        return None if backend_id is None else self.symbols.get(backend_id, f"?{backend_id}")

    def run_view(self, run: Run) -> tuple[Any, ...]:
        tags = dict(run.tags)
        if "mlflow.parentRunId" in tags:
            tags["mlflow.parentRunId"] = str(self.symbol(tags["mlflow.parentRunId"]))
        metrics = {k: "nan" if math.isnan(v) else v for k, v in run.metrics.items()}
        return (
            self.symbol(run.run_id),
            self.symbol(run.experiment_id),
            run.name,
            run.status.value,
            run.start_time,
            run.end_time,
            run.lifecycle_stage.value,
            sorted(tags.items()),
            sorted(run.params.items()),
            sorted(metrics.items()),
        )

    def experiment_view(self, found: Experiment | None) -> tuple[Any, ...] | None:
        if found is None:
            return None
        return (
            self.symbol(found.experiment_id),
            found.name,
            found.lifecycle_stage.value,
            sorted(found.tags.items()),
        )

    def page_view(self, page: RunPage) -> tuple[Any, ...]:
        return ([self.run_view(r) for r in page.runs], page.next_page_token is not None)


def observe(call: Callable[[], Any], view: Callable[[Any], Any]) -> tuple[str, Any]:
    """("ok", view of the result) or ("error", the error's class name)."""
    try:
        return "ok", view(call())
    except TrackingError as error:
        return "error", type(error).__name__


class Differential:
    """The fake and a real backend, driven by the same operations."""

    def __init__(self, fake: TrackingPort, real: TrackingPort, prefix: str) -> None:
        self.sides = (Side(fake), Side(real))
        self.prefix = prefix
        self.starts = 0

    def apply(self, operation: Operation) -> tuple[tuple[str, Any], tuple[str, Any]] | None:
        """Both sides' observations, or None when the operation has nothing to act on."""
        handler = getattr(self, f"_{operation[0]}")
        return handler(*operation[1:])  # type: ignore[no-any-return]

    def snapshot(self) -> list[tuple[Any, Any]]:
        """Everything observable at the end: each run, each name, and one search of it all."""
        observed: list[tuple[Any, Any]] = [self._get_run(i) for i in range(len(self.sides[0].runs))]
        observed += [self._get_experiment_by_name(i) for i in range(4)]
        everything = list(range(len(self.sides[0].experiments)))
        if everything:
            for order in SNAPSHOT_ORDERS:
                observed.append(
                    self._search_runs(everything, {}, frozenset(), None, "all", [order], None)
                )
        return observed

    def _both(
        self, call: Callable[[Side], Any], view: Callable[[Side, Any], Any]
    ) -> tuple[tuple[str, Any], tuple[str, Any]]:
        fake, real = (observe(lambda s=s: call(s), lambda r, s=s: view(s, r)) for s in self.sides)
        return fake, real

    def _pick(self, kind: str, index: int | None) -> list[str] | None:
        pools = [getattr(s, kind) for s in self.sides]
        if index is None or not pools[0] or len(pools[0]) != len(pools[1]):
            return None
        return [pool[index % len(pool)] for pool in pools]

    def _name(self, index: int) -> str:
        return f"{self.prefix}-{index}"

    def _create_experiment(self, index: int) -> tuple[Any, Any]:
        made = self._both(lambda s: s.tracking.create_experiment(self._name(index)), lambda s, r: r)
        if made[0][0] == made[1][0] == "ok":
            symbol = f"E{len(self.sides[0].experiments)}"
            for side, (_, backend_id) in zip(self.sides, made, strict=True):
                side.experiments.append(backend_id)
                side.symbols[backend_id] = symbol
            return ("ok", symbol), ("ok", symbol)
        return made

    def _get_experiment_by_name(self, index: int) -> tuple[Any, Any]:
        return self._both(
            lambda s: s.tracking.get_experiment_by_name(self._name(index)),
            lambda s, r: s.experiment_view(r),
        )

    def _on_experiment(self, method: str, index: int) -> tuple[Any, Any] | None:
        ids = self._pick("experiments", index)
        if ids is None:
            return None
        chosen = dict(zip(map(id, self.sides), ids, strict=True))
        return self._both(lambda s: getattr(s.tracking, method)(chosen[id(s)]), lambda s, r: r)

    def _delete_experiment(self, index: int) -> tuple[Any, Any] | None:
        return self._on_experiment("delete_experiment", index)

    def _restore_experiment(self, index: int) -> tuple[Any, Any] | None:
        return self._on_experiment("restore_experiment", index)

    def _create_run(
        self, index: int, name: str, tags: Mapping[str, str], start: int, parent: int | None
    ) -> tuple[Any, Any] | None:
        ids = self._pick("experiments", index)
        if ids is None:
            return None
        parents = self._pick("runs", parent)
        self.starts += 1
        start_time = 1_000 + start * 100 + self.starts
        chosen = dict(
            zip(map(id, self.sides), zip(ids, parents or [None, None], strict=True), strict=True)
        )

        def call(side: Side) -> Run:
            experiment_id, parent_id = chosen[id(side)]
            linked = {**tags, "mlflow.parentRunId": parent_id} if parent_id else dict(tags)
            return side.tracking.create_run(experiment_id, name, linked, start_time)

        made = self._both(call, lambda s, r: r)
        if made[0][0] == made[1][0] == "ok":
            symbol = f"R{len(self.sides[0].runs)}"
            for side, (_, run) in zip(self.sides, made, strict=True):
                side.runs.append(run.run_id)
                side.symbols[run.run_id] = symbol
        return tuple(  # type: ignore[return-value]
            (kind, side.run_view(r) if kind == "ok" else r)
            for side, (kind, r) in zip(self.sides, made, strict=True)
        )

    def _on_run(self, index: int, call: Callable[[TrackingPort, str], Any]) -> Any:
        ids = self._pick("runs", index)
        if ids is None:
            return None
        chosen = dict(zip(map(id, self.sides), ids, strict=True))
        return self._both(
            lambda s: call(s.tracking, chosen[id(s)]),
            lambda s, r: s.run_view(r) if isinstance(r, Run) else r,
        )

    def _log_batch(self, index: int, tags: Any, params: Any, metrics: Any) -> Any:
        return self._on_run(
            index, lambda t, run: t.log_batch(run, tags=tags, params=params, metrics=metrics)
        )

    def _set_terminated(self, index: int, status: Any, end: int) -> Any:
        return self._on_run(index, lambda t, run: t.set_terminated(run, status, end))

    def _delete_run(self, index: int) -> Any:
        return self._on_run(index, lambda t, run: t.delete_run(run))

    def _get_run(self, index: int) -> Any:
        return self._on_run(index, lambda t, run: t.get_run(run))

    def _search_runs(
        self,
        experiments: list[int],
        tags: Mapping[str, str],
        statuses: frozenset[Any],
        parent: int | None,
        lifecycle: str,
        order_by: list[Any],
        max_results: int | None,
    ) -> Any:
        picked = [self._pick("experiments", i) for i in experiments]
        if any(p is None for p in picked):
            return None
        parents = self._pick("runs", parent)

        def call(side: Side) -> RunPage:
            at = self.sides.index(side)
            query = RunQuery(
                experiment_ids=tuple(dict.fromkeys(p[at] for p in picked if p)),
                tags=tags,
                statuses=statuses,
                parent_run_id=parents[at] if parents else None,
                lifecycle=lifecycle,  # type: ignore[arg-type]
                order_by=tuple(order_by),
                max_results=max_results,
            )
            return side.tracking.search_runs(query)

        return self._both(call, lambda s, r: s.page_view(r))
