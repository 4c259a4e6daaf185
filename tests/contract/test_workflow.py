"""End to end: 2 backbones x 4 trials x 3 folds with refit, final training, benchmark and
conversion, linked by lineage; interrupted and re-run without duplicates. Every backend."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.counting import CountingTracking
from trackwright.application import Container, TrackwrightSettings, build_container
from trackwright.application.trackers.stage_runs import StageRuns
from trackwright.application.use_cases.lineage_query import LineageQuery
from trackwright.application.use_cases.pipeline import (
    PipelineConfig,
    SimulatedFailure,
    SimulatedPipeline,
)
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run, RunStatus
from trackwright.domain.ports import TrackingPort

pytestmark = pytest.mark.contract


@pytest.fixture
def stages(container: Container) -> StageRuns:
    return container.stage_runs()


def _pipeline(container: Container, stages: StageRuns) -> SimulatedPipeline:
    return SimulatedPipeline(stages, container.experiments())


def _all_runs(container: Container, experiment_ids: list[str]) -> list[Run]:
    query = RunQuery(experiment_ids=tuple(experiment_ids), lifecycle="all")
    runs = container.backend().search_runs(query).runs
    return [r for r in runs if r.tags.get("code.run_type") != "lease"]  # workers' leases


def test_the_whole_pipeline_is_recorded_and_linked(
    container: Container, stages: StageRuns, unique_name: str
) -> None:
    result = _pipeline(container, stages).run(PipelineConfig(experiment_prefix=unique_name))
    runs = _all_runs(container, result.experiment_ids)
    kinds = Counter(r.tags["code.run_type"] for r in runs)
    assert kinds == {
        "sweep": 2,
        "trial": 8,
        "fold": 24,
        "refit": 2,
        "final_training": 2,
        "benchmark": 2,
        "conversion": 2,
    }
    assert all(r.status is RunStatus.FINISHED for r in runs)
    assert len({r.tags["code.run_key_hash"] for r in runs}) == len(runs) == 42
    folds = [r for r in runs if r.tags["code.run_type"] == "fold"]
    assert all("code.study_key_hash" in f.tags and "code.trial_key_hash" in f.tags for f in folds)
    assert sorted({f.tags["fold_idx"] for f in folds}) == ["0", "1", "2"]
    assert all(f.tags["trial_number"] == f.tags["code.hpo.trial_number"] for f in folds)

    lineage = LineageQuery(container.backend(), container.tag_policy().registry)
    for backbone, conversion in result.conversions.items():
        chain = lineage.up(conversion)
        assert [step.kind for step in chain] == [
            "conversion",
            "final_training",
            "refit",
            "trial",
            "sweep",
        ]
        assert chain[-1].run.run_id == result.sweeps[backbone]
        derived = lineage.down(result.sweeps[backbone], result.experiment_ids)
        assert conversion in {step.run.run_id for step in derived}
        assert Counter(step.kind for step in derived)["fold"] == 12


def test_an_interrupted_pipeline_reruns_without_duplicates(
    container: Container, stages: StageRuns, unique_name: str
) -> None:
    failing = PipelineConfig(experiment_prefix=unique_name, fail_in_trial=("deberta-v3-small", 2))
    with pytest.raises(SimulatedFailure):
        _pipeline(container, stages).run(failing)
    result = _pipeline(container, stages).run(PipelineConfig(experiment_prefix=unique_name))
    runs = _all_runs(container, result.experiment_ids)
    keys = Counter(r.tags["code.run_key_hash"] for r in runs)
    assert [k for k, n in keys.items() if n > 1] == []
    assert len(runs) == 42
    assert [r.run_id for r in runs if r.status is RunStatus.RUNNING] == []
    assert all(r.status is RunStatus.FINISHED for r in runs)


def test_runs_left_running_by_a_dead_attempt_are_tagged_and_ended(
    container: Container, stages: StageRuns, unique_name: str
) -> None:
    config = PipelineConfig(
        experiment_prefix=unique_name, backbones=("bert-base",), trials=2, folds=2
    )
    first = _pipeline(container, stages).run(config)
    sweep = container.backend().get_run(first.sweeps["bert-base"])
    children = (
        container.backend()
        .search_runs(RunQuery(experiment_ids=(sweep.experiment_id,), parent_run_id=sweep.run_id))
        .runs
    )
    for run in (sweep, *children):
        container.backend().set_terminated(run.run_id, RunStatus.RUNNING)
    second = _pipeline(container, stages).run(config)
    assert second.sweeps == first.sweeps
    for run in (sweep, *children):
        stored = container.backend().get_run(run.run_id)
        assert stored.tags.get("code.interrupted") == "true"
        assert stored.status is RunStatus.FINISHED
    assert len(_all_runs(container, second.experiment_ids)) == len(
        _all_runs(container, first.experiment_ids)
    )


def test_rerunning_a_finished_pipeline_writes_nothing(
    tracking: TrackingPort, container: Container, unique_name: str
) -> None:
    config = PipelineConfig(
        experiment_prefix=unique_name, backbones=("bert-base",), trials=2, folds=2
    )
    first = SimulatedPipeline(container.stage_runs(), container.experiments()).run(config)
    counting = CountingTracking(tracking)
    again = build_container(TrackwrightSettings(backend="memory"))
    again.backend.override(counting)
    second = SimulatedPipeline(again.stage_runs(), again.experiments()).run(config)
    assert second.sweeps == first.sweeps and second.conversions == first.conversions
    writes = {"create_run", "log_batch", "set_terminated", "create_experiment"}
    assert [call for call in counting.calls if call in writes] == []
