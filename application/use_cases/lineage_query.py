"""Walking lineage: from a derived run up to its sweep, and from a run down to what it fed.

Links, in the order they are followed upwards: ``code.lineage.parent_training_run_id``,
``code.lineage.hpo_refit_run_id``, ``code.refit.of_trial_run_id``,
``code.lineage.hpo_trial_run_id``, ``mlflow.parentRunId``, ``code.lineage.hpo_sweep_run_id``.
Going up costs one ``get_run`` per step; going down costs one paged search per experiment.
Deleted runs are not trusted: going up, a link to a deleted run is followed but the step
is marked (``LineageStep.deleted``), so output never shows it as a live FINISHED run;
going down, deleted runs are not searched. ``moved_links`` tells a stage that resumes a
run whether the run still links where the stage would link it now.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from trackwright.domain.errors import TrackingNotFoundError
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import LifecycleStage, Run
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

logger = logging.getLogger(__name__)
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
    """One run of a lineage chain, its kind, and the tag that led to it (None: the start)."""

    run: Run
    via: str | None
    kind: str = "unknown"

    @property
    def deleted(self) -> bool:
        """Whether the run of this step is deleted (shown, never trusted as live)."""
        return self.run.lifecycle_stage is LifecycleStage.DELETED


def link_keys(registry: TagKeyRegistry) -> list[str]:
    """The tag keys that link a run to the run it derives from, in the order followed up."""
    return [registry.key(section, name) for section, name in _UP_LINKS]


def moved_links(
    run: Run, wanted: Mapping[str, object], registry: TagKeyRegistry, parent_id: str | None
) -> list[str]:
    """The links ``run`` carries that differ from ``wanted`` (and from ``parent_id``).

    A stage resuming ``run`` must not keep it pointing at an upstream run that was
    replaced (e.g. deleted, then made again): a non-empty answer means "do not resume".
    """
    moved = [
        key
        for key in link_keys(registry)
        if key in wanted and run.tags.get(key) != str(wanted[key])
    ]
    if parent_id is not None and run.parent_run_id != parent_id:
        moved.append("mlflow.parentRunId")
    return moved


class LineageQuery:
    """Answers "where did this run come from" and "what came from this run"."""

    def __init__(self, tracking: TrackingPort, registry: TagKeyRegistry) -> None:
        self._tracking = tracking
        self._links = link_keys(registry)
        self._kind_tag = registry.key("process", "run_type")

    def _step(self, run: Run, via: str | None) -> LineageStep:
        return LineageStep(run, via, run.tags.get(self._kind_tag, "unknown"))

    def up(self, run_id: str, max_steps: int = 20) -> list[LineageStep]:
        """The chain from ``run_id`` up to its root (usually the sweep), start first."""
        chain = [self._step(self._tracking.get_run(run_id), None)]
        seen = {run_id}
        while len(chain) <= max_steps:
            step = self._next_up(chain[-1].run, seen)
            if step is None:
                break
            chain.append(step)
            seen.add(step.run.run_id)
        return chain

    def _next_up(self, run: Run, seen: set[str]) -> LineageStep | None:
        """The first link that leads to an existing run; a dangling link is logged, skipped."""
        for tag in self._links:
            target = run.tags.get(tag)
            if not target or target in seen:
                continue
            try:
                return self._step(self._tracking.get_run(target), tag)
            except TrackingNotFoundError:
                logger.warning("run %s: %s points to missing run %s", run.run_id, tag, target)
                seen.add(target)
        return None

    def down(self, run_id: str, experiment_ids: Iterable[str] = ()) -> list[LineageStep]:
        """Every run that links (transitively) to ``run_id``, breadth first.

        Searches the start run's experiment and ``experiment_ids`` (derived runs such as
        final training often live in other experiments): one paged search, then the links
        are followed in memory.
        """
        start = self._tracking.get_run(run_id)
        linking: dict[str, list[tuple[Run, str]]] = {}
        for run in self._all_runs([start.experiment_id, *experiment_ids]):
            for tag in self._links:
                target = run.tags.get(tag)
                if target:
                    linking.setdefault(target, []).append((run, tag))
        found: list[LineageStep] = []
        frontier, seen = deque([run_id]), {run_id}
        while frontier:
            for run, tag in linking.get(frontier.popleft(), []):
                if run.run_id not in seen:
                    seen.add(run.run_id)
                    found.append(self._step(run, tag))
                    frontier.append(run.run_id)
        return found

    def _all_runs(self, experiment_ids: Sequence[str]) -> list[Run]:
        unique = tuple(dict.fromkeys(experiment_ids))
        return list(self._tracking.search_runs(RunQuery(experiment_ids=unique)).runs)
