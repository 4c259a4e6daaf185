"""Run-name versions: atomic per name, bounded, and used only for kinds that take them."""

from __future__ import annotations

from trackwright.adapters.memory.version_counter import InMemoryVersionCounter
from trackwright.application import TrackwrightSettings, build_container
from trackwright.application.trackers import SweepTracker
from trackwright.domain.model import RunKind
from trackwright.domain.run_names import counter_key
from trackwright.domain.stage_context import StageContext


def test_versions_count_per_key_from_one() -> None:
    counter = InMemoryVersionCounter()
    assert [counter.next_version("a") for _ in range(3)] == [1, 2, 3]
    assert counter.next_version("b") == 1


def test_the_counter_keeps_only_the_most_recently_used_keys() -> None:
    counter = InMemoryVersionCounter(max_keys=2)
    counter.next_version("old")
    counter.next_version("kept")
    counter.next_version("new")
    counter.next_version("kept")
    assert counter.next_version("old") == 1
    assert counter.next_version("kept") == 3


def test_the_counter_key_is_the_unversioned_name_per_store_project_and_kind() -> None:
    ctx = StageContext(kind=RunKind.TRIAL, model="m", project="p")
    key = counter_key(ctx, "local_m_hpo_trial_study-1_t00", "sqlite:///a.db")
    assert key == "sqlite:///a.db|p:trial:local_m_hpo_trial_study-1_t00"
    assert counter_key(ctx, "n", "sqlite:///b.db") != counter_key(ctx, "n", "sqlite:///a.db")


def test_trials_that_would_share_a_name_get_versions_when_enabled() -> None:
    container = build_container(TrackwrightSettings(backend="memory", run_name_versions=True))
    experiment_id = container.experiments().get_or_create("e")
    tracker = SweepTracker(
        container.stage_runs(), experiment_id, StageContext(kind=RunKind.SWEEP, model="bert")
    )
    with tracker.sweep("s" * 64) as sweep:
        with sweep.trial(0, {"lr": 0.1}) as first:
            pass
        with sweep.trial(0, {"lr": 0.2}) as second, second.fold(0) as fold:
            pass
    assert sweep.stage.run.name == "local_bert_hpo_study-ssssssss_1"
    assert first.stage.run.name.endswith("_t00_1") and second.stage.run.name.endswith("_t00_2")
    assert fold.run.name.endswith("_t00_fold0")


def test_versions_are_off_by_default() -> None:
    container = build_container(TrackwrightSettings(backend="memory"))
    experiment_id = container.experiments().get_or_create("e")
    tracker = SweepTracker(
        container.stage_runs(), experiment_id, StageContext(kind=RunKind.SWEEP, model="bert")
    )
    with tracker.sweep("s" * 64) as sweep:
        pass
    assert sweep.stage.run.name == "local_bert_hpo_study-ssssssss"
