"""Walking lineage: from a derived run up to its sweep, and from a run down to what it fed.

Links, in the order they are followed upwards: ``code.lineage.parent_training_run_id``,
``code.lineage.hpo_refit_run_id``, ``code.refit.of_trial_run_id``,
``code.lineage.hpo_trial_run_id``, ``mlflow.parentRunId``, ``code.lineage.hpo_sweep_run_id``.
Going up costs one ``get_run`` per step; going down costs one paged search per experiment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.model import Run
from domain.ports import TrackingPort
from domain.query import RunQuery
from domain.tag_keys import TagKeyRegistry

_UP_LINKS = (
    ("lineage", "parent_training_run_id"),
    ("lineage", "hpo_refit_run_id"),
    ("refit", "of_trial_run_id"),
    ("lineage", "hpo_trial_run_id"),
    ("mlflow", "parent_run_id"),
    ("lineage", "hpo_sweep_run_id"),
)


@dataclass(frozen=True, slots=True)
class LineageStep:
    """One run of a lineage chain and the tag that led to it (None for the start)."""

    run: Run
    via: str | None

    @property
    def kind(self) -> str:
        """The run's ``code.run_type`` (its kind), or ``unknown``."""
        return self.run.tags.get("code.run_type", "unknown")


class LineageQuery:
    """Answers "where did this run come from" and "what came from this run"."""

    def __init__(self, tracking: TrackingPort, registry: TagKeyRegistry) -> None:
        self._tracking = tracking
        self._links = [registry.key(section, name) for section, name in _UP_LINKS]

    def up(self, run_id: str, max_steps: int = 20) -> list[LineageStep]:
        """The chain from ``run_id`` up to its root (usually the sweep), start first."""
        chain = [LineageStep(self._tracking.get_run(run_id), None)]
        seen = {run_id}
        while len(chain) <= max_steps:
            step = self._next_up(chain[-1].run, seen)
            if step is None:
                break
            chain.append(step)
            seen.add(step.run.run_id)
        return chain

    def _next_up(self, run: Run, seen: set[str]) -> LineageStep | None:
        for tag in self._links:
            target = run.tags.get(tag)
            if target and target not in seen:
                return LineageStep(self._tracking.get_run(target), tag)
        return None

    def down(self, run_id: str, experiment_ids: Iterable[str] = ()) -> list[LineageStep]:
        """Every run that links (transitively) to ``run_id``, breadth first.

        Searches the start run's experiment and ``experiment_ids`` (derived runs such as
        final training often live in other experiments).
        """
        start = self._tracking.get_run(run_id)
        candidates = self._all_runs([start.experiment_id, *experiment_ids])
        found: list[LineageStep] = []
        frontier, seen = [run_id], {run_id}
        while frontier:
            current = frontier.pop(0)
            for run in candidates:
                tag = self._link_to(run, current)
                if tag and run.run_id not in seen:
                    seen.add(run.run_id)
                    found.append(LineageStep(run, tag))
                    frontier.append(run.run_id)
        return found

    def _link_to(self, run: Run, target: str) -> str | None:
        return next((tag for tag in self._links if run.tags.get(tag) == target), None)

    def _all_runs(self, experiment_ids: Sequence[str]) -> list[Run]:
        unique = tuple(dict.fromkeys(experiment_ids))
        return list(self._tracking.search_runs(RunQuery(experiment_ids=unique)).runs)
