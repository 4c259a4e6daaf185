"""Compiling a ``RunQuery`` into an MLflow filter string, order-by list and view type.

Keys are always backtick-quoted. ``RunQuery`` admits only keys a run can carry (no
backtick among them); ``quoted_key`` refuses any other key again, so no key can end the
quoting and splice a clause into the filter. A value is quoted with ``'`` or ``"``
(whichever it does not contain). MLflow's filter tokenizer has no escape that round-trips
a value holding both quote kinds or a backslash, so such equalities are evaluated
client-side instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlflow.entities import ViewType

from trackwright.domain.finding.query import OrderBy, RunQuery, checked_query_key
from trackwright.domain.model import RunStatus

_VIEW = {"active": ViewType.ACTIVE_ONLY, "deleted": ViewType.DELETED_ONLY, "all": ViewType.ALL}


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """What MLflow evaluates, and the tag equalities left for the adapter to check."""

    filter_string: str
    order_by: list[str]
    view_type: int
    client_side_tags: dict[str, str]


def quoted_value(value: str) -> str | None:
    """The value as an MLflow string literal, or None when no literal can hold it."""
    if "\\" in value:
        return None
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return None


def quoted_key(key: str) -> str:
    """The key between backticks.

    Raises:
        TrackingInvalidValueError: The key breaks the key rule (e.g. holds a backtick).
    """
    return f"`{checked_query_key(key)}`"


def _order_clause(clause: OrderBy) -> str:
    prefix = {"attribute": "attributes", "metric": "metrics", "param": "params", "tag": "tags"}
    direction = "ASC" if clause.ascending else "DESC"
    key = f"`{clause.key}`" if clause.kind == "attribute" else quoted_key(clause.key)
    return f"{prefix[clause.kind]}.{key} {direction}"


def _status_conditions(query: RunQuery) -> list[str]:
    """MLflow has no IN for status: one ``=``, or a ``!=`` per excluded status."""
    if not query.statuses:
        return []
    if len(query.statuses) == 1:
        (only,) = query.statuses
        return [f"attributes.status = '{only.value}'"]
    excluded = sorted(s.value for s in RunStatus if s not in query.statuses)
    return [f"attributes.status != '{s}'" for s in excluded]


def compile_query(query: RunQuery) -> CompiledQuery:
    """Compile ``query``; equalities MLflow cannot express exactly stay client-side."""
    conditions: list[str] = []
    client_side: dict[str, str] = {}
    for key, value in query.tag_equalities().items():
        literal = quoted_value(value)
        if literal is None:
            client_side[key] = value
        else:
            conditions.append(f"tags.{quoted_key(key)} = {literal}")
    conditions.extend(_status_conditions(query))
    return CompiledQuery(
        filter_string=" AND ".join(conditions),
        order_by=[_order_clause(c) for c in query.order_by],
        view_type=_VIEW[query.lifecycle],
        client_side_tags=client_side,
    )
