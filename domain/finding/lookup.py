"""What the run finder is asked (``FindRequest``) and what it answers (``RunLookupReport``).

The report lists only the strategies that were actually tried, each with its outcome, so a
miss explains itself (the original listed every strategy, applicable or not, W-1f).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from trackwright.domain.errors import RunNotFoundError, UnknownFinderStrategyError
from trackwright.domain.model import Run, RunStatus

if TYPE_CHECKING:  # pydantic loads with the first query, not with the CLI's --help
    from trackwright.domain.finding.query import RunQuery

logger = logging.getLogger(__name__)

KEY_STRATEGIES = ("direct_run_id", "metadata_json", "local_index", "tag_run_key_hash")
FUZZY_STRATEGIES = ("tag_context", "run_name", "most_recent")


@dataclass(frozen=True, slots=True)
class FindRequest:
    """What the caller knows about the run it wants.

    Attributes:
        experiment_id: The experiment the run must belong to.
        run_id: A run id the caller holds (``direct_run_id``).
        metadata_run_id: A run id read from an output folder's metadata (``metadata_json``).
        run_key_hash: sha256 of the run key (``local_index``, then ``tag_run_key_hash``).
        context_tags: Tag equalities for the fuzzy ``tag_context`` strategy.
        run_name: The run name for the fuzzy ``run_name`` strategy.
        fuzzy: Fuzzy strategies to enable, by name; none by default.
        statuses: Allowed statuses; empty allows any.
        strict: Raise ``RunNotFoundError`` instead of reporting a miss.
        experiment_label: How to name the experiment in messages (e.g. its name).
    """

    experiment_id: str
    run_id: str | None = None
    metadata_run_id: str | None = None
    run_key_hash: str | None = None
    context_tags: Mapping[str, str] = field(default_factory=dict)
    run_name: str | None = None
    fuzzy: tuple[str, ...] = ()
    statuses: frozenset[RunStatus] = frozenset()
    strict: bool = False
    experiment_label: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.fuzzy) - set(FUZZY_STRATEGIES))
        if unknown:
            raise UnknownFinderStrategyError(
                f"unknown fuzzy strategies {unknown}; choose from {list(FUZZY_STRATEGIES)}"
            )

    @property
    def experiment(self) -> str:
        """The experiment as messages name it."""
        label = self.experiment_label
        return f"'{label}'" if label else self.experiment_id

    def search(self, tags: Mapping[str, str] | None = None) -> RunQuery:
        """The newest run of the experiment with ``tags`` and an allowed status."""
        from trackwright.domain.finding.query import RunQuery

        return RunQuery(
            experiment_ids=(self.experiment_id,),
            tags=dict(tags or {}),
            statuses=self.statuses,
            max_results=1,
        )


class StrategyAttempt(NamedTuple):
    """One strategy that was tried: its name and its outcome (found, or why it missed)."""

    strategy: str
    outcome: str


@dataclass(frozen=True, slots=True)
class RunLookupReport:
    """What the finder found and what it tried.

    Attributes:
        found: Whether a run was found.
        run_id: The run found.
        strategy_used: The strategy that found it.
        strategies_attempted: Every strategy tried, in order, with its outcome; the winner
            last. Strategies that did not apply are not listed.
        error: Why nothing was found.
        run: The run found, as the finder last read it (saves the caller a ``get_run``).
    """

    found: bool
    run_id: str | None = None
    strategy_used: str | None = None
    strategies_attempted: tuple[StrategyAttempt, ...] = ()
    error: str | None = None
    run: Run | None = field(default=None, compare=False, repr=False)

    @property
    def attempted_names(self) -> list[str]:
        """The names of the strategies tried, in order."""
        return [attempt.strategy for attempt in self.strategies_attempted]


def not_found(
    request: FindRequest, attempts: list[StrategyAttempt], message: str
) -> RunLookupReport:
    """The miss report, or ``RunNotFoundError`` in strict mode."""
    if request.strict:
        raise RunNotFoundError(message, attempts)
    logger.info("%s", message)
    return RunLookupReport(found=False, strategies_attempted=tuple(attempts), error=message)
