"""The run finder: a priority chain over the tracking port and the local run index.

Order: an explicit run id, the run id an output folder's metadata names, the local run
index, the ``code.run_key_hash`` tag; then, only when the caller enables them by name, the
fuzzy strategies ``tag_context``, ``run_name`` and ``most_recent`` (the original fell back
to "the most recent run of the experiment" unasked, W-1e). Strategies that do not apply are
not tried and not listed.

Every hit is verified: the run must be in the requested experiment, not deleted, and in an
allowed status. "Not found" answers are misses; any other backend failure propagates, so
"absent" and "backend down" never look alike (the original swallowed every error).
Finding by key costs one call: ``get_run`` on an index hit, else one ``search_runs``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from trackwright.domain.errors import RunIndexCorruptError, RunIndexError, TrackingNotFoundError
from trackwright.domain.finding.lookup import (
    FUZZY_STRATEGIES,
    FindRequest,
    RunLookupReport,
    StrategyAttempt,
    not_found,
)
from trackwright.domain.model import LifecycleStage, Run, RunRef, looks_like_run_id
from trackwright.domain.ports import RunIndexPort, TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

logger = logging.getLogger(__name__)
Outcome = tuple[Run | None, str]
Strategy = Callable[[FindRequest], Outcome]


class RunFinder:
    """Finds one run by the priority chain and reports every strategy it tried."""

    def __init__(
        self, tracking: TrackingPort, index: RunIndexPort, registry: TagKeyRegistry
    ) -> None:
        self._tracking = tracking
        self._index = index
        self._run_key_tag = registry.key("grouping", "run_key_hash")
        self._run_name_tag = registry.key("run", "name")

    def find(self, request: FindRequest) -> RunLookupReport:
        """The first strategy's run, with the misses before it.

        Raises:
            RunNotFoundError: Strict mode and nothing found; lists every strategy tried.
            TrackingUnavailableError: The backend could not be reached.
        """
        attempts: list[StrategyAttempt] = []
        for name, strategy in self._chain(request):
            run, why = strategy(request)
            if run is None:
                attempts.append(StrategyAttempt(name, why))
                logger.debug("run finder: %s missed (%s)", name, why)
                continue
            attempts.append(StrategyAttempt(name, f"found run {run.run_id}"))
            self._after_hit(name, request, run)
            return RunLookupReport(True, run.run_id, name, tuple(attempts), run=run)
        message = f"Could not find a run in experiment {request.experiment}"
        return not_found(request, attempts, message)

    def remember(self, run_key_hash: str, run: RunRef) -> None:
        """Record a run under its key in the local index (after creating it by key).

        An index that cannot be written is logged at WARNING: the run stays findable by
        its ``code.run_key_hash`` tag, one search away.
        """
        try:
            self._index.record(self._tracking.tracking_uri, run_key_hash, run)
        except RunIndexError as exc:
            logger.warning("run %s not recorded in the local run index: %s", run.run_id, exc)

    def _chain(self, request: FindRequest) -> list[tuple[str, Strategy]]:
        wanted: list[tuple[str, bool, Strategy]] = [
            ("direct_run_id", request.run_id is not None, self._direct),
            ("metadata_json", request.metadata_run_id is not None, self._metadata),
            ("local_index", request.run_key_hash is not None, self._from_index),
            ("tag_run_key_hash", request.run_key_hash is not None, self._by_key_tag),
            ("tag_context", bool(request.context_tags), self._by_context),
            ("run_name", bool(request.run_name), self._by_run_name),
            ("most_recent", True, self._most_recent),
        ]
        fuzzy = set(request.fuzzy)
        return [
            (name, strategy)
            for name, applies, strategy in wanted
            if applies and (name in fuzzy or name not in FUZZY_STRATEGIES)
        ]

    def _after_hit(self, name: str, request: FindRequest, run: Run) -> None:
        if name == "tag_run_key_hash" and request.run_key_hash:
            self.remember(request.run_key_hash, run.ref)
        if name in FUZZY_STRATEGIES:
            logger.warning(
                "run %s found by the fuzzy strategy %r (the caller enabled it)", run.run_id, name
            )

    def _unusable(self, run: Run, request: FindRequest) -> str | None:
        if run.experiment_id != request.experiment_id:
            return (
                f"run {run.run_id} is in experiment {run.experiment_id}, not {request.experiment}"
            )
        if run.lifecycle_stage is not LifecycleStage.ACTIVE:
            return f"run {run.run_id} is deleted"
        if request.statuses and run.status not in request.statuses:
            allowed = ", ".join(sorted(s.value for s in request.statuses))
            return f"run {run.run_id} is {run.status.value}; allowed: {allowed}"
        return None

    def _get(self, run_id: str) -> Run | None:
        try:
            return self._tracking.get_run(run_id)
        except TrackingNotFoundError:
            return None

    def _by_id(self, request: FindRequest, run_id: str) -> Outcome:
        if not looks_like_run_id(run_id):
            return None, f"{run_id!r} is not a run id"
        run = self._get(run_id)
        if run is None:
            return None, f"no run has id {run_id}"
        why = self._unusable(run, request)
        return (None, why) if why else (run, "")

    def _direct(self, request: FindRequest) -> Outcome:
        return self._by_id(request, str(request.run_id))

    def _metadata(self, request: FindRequest) -> Outcome:
        return self._by_id(request, str(request.metadata_run_id))

    def _from_index(self, request: FindRequest) -> Outcome:
        key, uri = str(request.run_key_hash), self._tracking.tracking_uri
        try:
            entry = self._index.lookup(uri, key)
        except RunIndexCorruptError as exc:
            return None, str(exc)
        except RunIndexError as exc:
            return None, f"the local run index could not be read: {exc}"
        if entry is None:
            return None, "no entry for this run key on this tracking URI"
        if entry.experiment_id != request.experiment_id:
            return None, f"the entry names run {entry.run_id} in experiment {entry.experiment_id}"
        run = self._get(entry.run_id)
        stale = self._stale(run, request, key)
        if stale or run is None:
            self._forget(key)
            return None, f"indexed run {entry.run_id} {stale}; entry dropped"
        why = self._unusable(run, request)
        return (None, why) if why else (run, "")

    def _stale(self, run: Run | None, request: FindRequest, key: str) -> str | None:
        if run is None:
            return "no longer exists"
        if run.experiment_id != request.experiment_id:
            return f"moved to experiment {run.experiment_id}"
        if run.lifecycle_stage is not LifecycleStage.ACTIVE:
            return "is deleted"
        tagged = run.tags.get(self._run_key_tag)
        return f"carries another run key ({tagged[:12]}...)" if tagged not in (None, key) else None

    def _forget(self, key: str) -> None:
        try:
            self._index.forget(self._tracking.tracking_uri, key)
        except RunIndexError as exc:
            logger.warning("stale run index entry not dropped: %s", exc)

    def _first(self, request: FindRequest, tags: dict[str, str], what: str) -> Outcome:
        runs = self._tracking.search_runs(request.search(tags)).runs
        if runs:
            return runs[0], ""
        status = " with an allowed status" if request.statuses else ""
        return None, f"no run{status} {what} in experiment {request.experiment}"

    def _by_key_tag(self, request: FindRequest) -> Outcome:
        key = str(request.run_key_hash)
        return self._first(request, {self._run_key_tag: key}, f"tagged with run key {key}")

    def _by_context(self, request: FindRequest) -> Outcome:
        tags = dict(request.context_tags)
        return self._first(request, tags, f"with tags {tags}")

    def _by_run_name(self, request: FindRequest) -> Outcome:
        name = str(request.run_name)
        return self._first(request, {self._run_name_tag: name}, f"named {name!r}")

    def _most_recent(self, request: FindRequest) -> Outcome:
        return self._first(request, {}, "at all")
