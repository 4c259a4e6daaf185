"""The fake's storage: compact run records, and indexes that find a search's candidates.

Searching 100,000 runs must not copy 100,000 runs. ``RunTable`` keeps the runs of each
experiment, and for every tag key that a search has filtered on, a map from tag value to
the runs carrying it (built on that key's first search, then kept up to date by every
write). A search starts from the smallest bucket of its tag equalities (or from its
experiments' runs). Candidates are matched and ordered through views over their live
tags (``search.search``, exactly as before), and only the runs of the returned page are
copied into snapshots.

Records are slotted, share one empty mapping until a run has params or metrics, and are
snapshotted into ``Run`` values only when read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import LifecycleStage, Metric, Run, RunStatus

_NOTHING: Mapping[str, str] = MappingProxyType({})
_NO_METRICS: Mapping[str, float] = MappingProxyType({})


@dataclass(slots=True, eq=False)
class RunRecord:
    """One stored run; ``params`` and ``latest`` stay None until something is logged."""

    run_id: str
    experiment_id: str
    name: str
    status: RunStatus
    start_time: int
    tags: dict[str, str]
    end_time: int | None = None
    lifecycle_stage: LifecycleStage = LifecycleStage.ACTIVE
    params: dict[str, str] | None = None
    latest: dict[str, Metric] | None = None

    def snapshot(self) -> Run:
        """The run as a frozen value (the caller's copy; later writes do not change it)."""
        return self._as_run(
            MappingProxyType(dict(self.tags)),
            MappingProxyType(dict(self.params)) if self.params else _NOTHING,
        )

    def view(self) -> Run:
        """The run over the live tags and params, to match and order it without copying.

        Only valid while the fake's lock is held; never handed to a caller.
        """
        return self._as_run(self.tags, self.params or _NOTHING)

    def _as_run(self, tags: Mapping[str, str], params: Mapping[str, str]) -> Run:
        latest = self.latest
        return Run(
            run_id=self.run_id,
            experiment_id=self.experiment_id,
            name=self.name,
            status=self.status,
            start_time=self.start_time,
            end_time=self.end_time,
            lifecycle_stage=self.lifecycle_stage,
            tags=tags,
            params=params,
            metrics=(
                MappingProxyType({k: m.value for k, m in latest.items()}) if latest else _NO_METRICS
            ),
        )


# A bucket holds one run id as a plain string (most tag values are unique: keys, ids)
# and becomes a dict (insertion-ordered, O(1) removal) only when a second run shares it.
_Bucket = str | dict[str, None]


class RunTable:
    """Every run by id, the run ids of each experiment, and lazily built tag indexes."""

    def __init__(self) -> None:
        self.runs: dict[str, RunRecord] = {}
        self._by_experiment: dict[str, dict[str, None]] = {}
        self._by_tag: dict[str, dict[str, _Bucket]] = {}

    def add(self, record: RunRecord) -> None:
        """Store a new run (its tags are indexed under every indexed key)."""
        self.runs[record.run_id] = record
        self._by_experiment.setdefault(record.experiment_id, {})[record.run_id] = None
        self._index(record.run_id, record.tags.items())

    def set_tags(self, record: RunRecord, tags: Mapping[str, str]) -> None:
        """Write ``tags`` on ``record``, keeping the tag indexes right."""
        for key, value in tags.items():
            index = self._by_tag.get(key)
            old = record.tags.get(key)
            if index is not None and old is not None and old != value:
                _remove(index, old, record.run_id)
        changed = [(k, v) for k, v in tags.items() if record.tags.get(k) != v]
        record.tags.update(tags)
        self._index(record.run_id, changed)

    def in_experiment(self, experiment_id: str) -> list[RunRecord]:
        """The runs of one experiment."""
        return [self.runs[i] for i in self._by_experiment.get(experiment_id, ())]

    def candidates(self, query: RunQuery) -> list[RunRecord]:
        """Runs that may match ``query``: a superset of its matches, usually a small one."""
        equalities = query.tag_equalities()
        if not equalities:
            return [r for e in dict.fromkeys(query.experiment_ids) for r in self.in_experiment(e)]
        buckets = [self._bucket(key, value) for key, value in equalities.items()]
        smallest = min(buckets, key=lambda b: 1 if isinstance(b, str) else len(b))
        ids = (smallest,) if isinstance(smallest, str) else smallest
        experiments = set(query.experiment_ids)
        found = (self.runs[i] for i in ids)
        return [r for r in found if r.experiment_id in experiments]

    def _bucket(self, key: str, value: str) -> _Bucket:
        index = self._by_tag.get(key)
        if index is None:
            index = self._by_tag[key] = {}
            for record in self.runs.values():
                if key in record.tags:
                    _add(index, record.tags[key], record.run_id)
        return index.get(value, {})

    def _index(self, run_id: str, tags: Iterable[tuple[str, str]]) -> None:
        for key, value in tags:
            index = self._by_tag.get(key)
            if index is not None:
                _add(index, value, run_id)


def _add(index: dict[str, _Bucket], value: str, run_id: str) -> None:
    bucket = index.get(value)
    if bucket is None:
        index[value] = run_id
    elif isinstance(bucket, str):
        if bucket != run_id:
            index[value] = {bucket: None, run_id: None}
    else:
        bucket[run_id] = None


def _remove(index: dict[str, _Bucket], value: str, run_id: str) -> None:
    bucket = index.get(value)
    if bucket == run_id:
        del index[value]
    elif isinstance(bucket, dict):
        bucket.pop(run_id, None)
        if not bucket:
            del index[value]
