"""Search semantics of MLflow's SQL store, evaluated over in-memory runs."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence

from trackwright.adapters.memory.validation import invalid, metric_rank
from trackwright.domain.finding.query import OrderBy, RunPage, RunQuery
from trackwright.domain.model import Run

_Key = Callable[[Run], object]


def _clause_value(clause: OrderBy) -> tuple[Callable[[Run], int], _Key]:
    """(rank, value) accessors: rank groups present values before missing ones."""
    if clause.kind == "metric":
        return (
            lambda r: metric_rank(r.metrics.get(clause.key)),
            lambda r: (
                r.metrics.get(clause.key, 0.0)
                if metric_rank(r.metrics.get(clause.key)) == 0
                else 0.0
            ),
        )
    if clause.kind in ("param", "tag"):
        source = "params" if clause.kind == "param" else "tags"
        return (
            lambda r: 0 if clause.key in getattr(r, source) else 1,
            lambda r: getattr(r, source).get(clause.key, ""),
        )
    attribute = "name" if clause.key == "run_name" else clause.key
    return (
        lambda r: 0 if getattr(r, attribute) is not None else 1,
        lambda r: getattr(r, attribute) if getattr(r, attribute) is not None else 0,
    )


def ordered(runs: Sequence[Run], order_by: Sequence[OrderBy]) -> list[Run]:
    """Runs in MLflow's order: the clauses, then newest start first, then run id."""
    result = sorted(runs, key=lambda r: r.run_id)
    if not any(c.kind == "attribute" and c.key == "start_time" for c in order_by):
        result.sort(key=lambda r: r.start_time, reverse=True)
    for clause in reversed(order_by):
        rank, value = _clause_value(clause)
        result.sort(key=value, reverse=not clause.ascending)  # type: ignore[arg-type]
        result.sort(key=rank)
    return result


def _decode_offset(token: str | None) -> int:
    if token is None:
        return 0
    try:
        offset = json.loads(base64.b64decode(token.encode()))["offset"]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise invalid("search_runs", f"Invalid page token {token!r}") from exc
    if not isinstance(offset, int) or offset < 0:
        raise invalid("search_runs", f"Invalid page token {token!r}")
    return offset


def _encode_offset(offset: int) -> str:
    return base64.b64encode(json.dumps({"offset": offset}).encode()).decode()


def search(runs: Sequence[Run], query: RunQuery) -> RunPage:
    """One page of matching runs, MLflow-ordered, with a token when more remain."""
    for clause in query.order_by:
        if sum(1 for c in query.order_by if (c.kind, c.key) == (clause.kind, clause.key)) > 1:
            raise invalid("search_runs", f"`order_by` contains duplicate fields: {clause.key}")
    matching = ordered([r for r in runs if query.matches(r)], query.order_by)
    start = _decode_offset(query.page_token)
    if query.max_results is None:
        return RunPage(tuple(matching[start:]))
    end = start + query.max_results
    token = _encode_offset(end) if end < len(matching) else None
    return RunPage(tuple(matching[start:end]), token)
