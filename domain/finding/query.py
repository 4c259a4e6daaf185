"""A typed run query: what to search for, never an MLflow filter string.

Keys (of tag equalities and of ordering clauses) must be keys a backend can store: the
tag-key rule (letters, digits, ``_ - . : /`` and spaces, at most 250 characters). A key
no run can carry (a backtick, a quote, ``!``) is refused with
``TrackingInvalidValueError`` when the query is built, so every backend answers it the
same way and no key can reach a filter compiler that might splice it into its grammar.
Values are free text: each backend must match them exactly (the MLflow adapter quotes
them, or matches them client-side when no MLflow literal can hold them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trackwright.domain.errors import TrackingInvalidValueError
from trackwright.domain.model import LifecycleStage, Run, RunStatus
from trackwright.domain.tags.rules import key_violations

OrderKind = Literal["attribute", "metric", "param", "tag"]
ORDERABLE_ATTRIBUTES = frozenset({"start_time", "end_time", "run_name", "status"})


@dataclass(frozen=True, slots=True)
class OrderBy:
    """One ordering clause. Missing values (and NaN metrics) always sort last, as in MLflow."""

    key: str
    kind: OrderKind = "attribute"
    ascending: bool = False

    def __post_init__(self) -> None:
        if self.kind == "attribute" and self.key not in ORDERABLE_ATTRIBUTES:
            allowed = ", ".join(sorted(ORDERABLE_ATTRIBUTES))
            raise ValueError(f"cannot order by attribute {self.key!r}; use one of {allowed}")
        if self.kind != "attribute":
            checked_query_key(self.key, f"order by {self.kind}")


def checked_query_key(key: object, where: str = "tag") -> str:
    """``key``, if a run could carry it.

    Raises:
        TrackingInvalidValueError: The key breaks the key rule (no run can match it).
    """
    problems = key_violations(key)
    if problems:
        raise TrackingInvalidValueError(
            f"cannot search by {where} key: {problems[0]}", operation="search_runs"
        )
    return str(key)


class RunQuery(BaseModel):
    """Which runs to find.

    Every condition is an equality or a set membership, so every backend can evaluate it
    exactly. ``max_results=None`` means "every match": adapters page through the backend.

    Attributes:
        experiment_ids: Experiments to search (at least one).
        tags: Tag equalities; a run missing the tag does not match.
        statuses: Allowed statuses; empty means any status.
        parent_run_id: Only children of this run (``mlflow.parentRunId``).
        lifecycle: Active runs only (MLflow's default), deleted only, or both.
        order_by: Ordering clauses; MLflow's default order (newest start first, then run id)
            breaks the remaining ties.
        max_results: At most this many runs; None for all.
        page_token: Resume a previous search from its ``next_page_token``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    experiment_ids: tuple[str, ...] = Field(min_length=1)
    tags: Mapping[str, str] = Field(default_factory=dict)
    statuses: frozenset[RunStatus] = frozenset()
    parent_run_id: str | None = None
    lifecycle: Literal["active", "deleted", "all"] = "active"
    order_by: tuple[OrderBy, ...] = ()
    max_results: int | None = Field(default=None, ge=1)
    page_token: str | None = None

    @field_validator("tags", mode="after")
    @classmethod
    def _keys_can_exist(cls, value: Mapping[str, str]) -> Mapping[str, str]:
        for key in value:
            checked_query_key(key)
        return value

    @field_validator("experiment_ids")
    @classmethod
    def _ids_are_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not i.strip() for i in value):
            raise ValueError("experiment ids must not be blank")
        return value

    def tag_equalities(self) -> dict[str, str]:
        """All tag equalities, the parent link included."""
        merged = dict(self.tags)
        if self.parent_run_id is not None:
            merged["mlflow.parentRunId"] = self.parent_run_id
        return merged

    def matches(self, run: Run) -> bool:
        """Whether ``run`` satisfies every condition (ordering and limits aside)."""
        if run.experiment_id not in self.experiment_ids:
            return False
        if self.statuses and run.status not in self.statuses:
            return False
        if self.lifecycle != "all" and run.lifecycle_stage != LifecycleStage(self.lifecycle):
            return False
        return all(run.tags.get(k) == v for k, v in self.tag_equalities().items())


@dataclass(frozen=True, slots=True)
class RunPage:
    """One answer to a search: the runs, and a token when more matches remain."""

    runs: tuple[Run, ...]
    next_page_token: str | None = None
