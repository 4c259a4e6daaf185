"""Queries and trial-id lookup through the seed functions, and exact matching, on every backend."""

from __future__ import annotations

import inspect
import math

import pytest

from trackwright import application
from trackwright.application import Container
from trackwright.domain.errors import UnsupportedFilterError
from trackwright.domain.finding.queries import RunQueries
from trackwright.domain.model import Metric, Run, RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.tags.keys import TagKeyRegistry

pytestmark = pytest.mark.contract


@pytest.fixture
def experiment_id(container: Container, unique_name: str) -> str:
    return container.experiments().get_or_create(unique_name)


def _run(
    tracking: TrackingPort,
    experiment_id: str,
    tags: dict[str, str],
    status: RunStatus | None = RunStatus.FINISHED,
    start: int | None = None,
    **metrics: float,
) -> Run:
    run = tracking.create_run(experiment_id, "r", tags, start_time=start)
    if metrics:
        tracking.log_batch(run.run_id, metrics=[Metric(k, v) for k, v in metrics.items()])
    if status is not None:
        tracking.set_terminated(run.run_id, status)
    return tracking.get_run(run.run_id)


def test_query_functions_keep_their_argument_order() -> None:
    shapes = {
        "query_runs_by_tags": [
            "client",
            "experiment_ids",
            "required_tags",
            "filter_string",
            "max_results",
        ],
        "find_run_by_trial_id": ["trial_id", "experiment_name", "config_dir"],
        "find_best_run_by_metric": ["runs", "metric_name", "maximize"],
        "group_runs_by_variant": ["runs", "variant_tag"],
    }
    for name, params in shapes.items():
        assert list(inspect.signature(getattr(application, name)).parameters) == params


def test_only_finished_runs_with_every_required_tag_are_returned(
    container: Container, experiment_id: str
) -> None:
    tracking = container.backend()
    match = _run(tracking, experiment_id, {"code.stage": "hpo", "code.model": "bert"})
    _run(tracking, experiment_id, {"code.stage": "hpo"})
    _run(tracking, experiment_id, {"code.stage": "hpo", "code.model": "bert"}, RunStatus.FAILED)
    _run(tracking, experiment_id, {"code.stage": "hpo", "code.model": "bert"}, status=None)
    required = {"code.stage": "hpo", "code.model": "bert"}
    found = application.query_runs_by_tags(None, [experiment_id], required)
    assert [r.run_id for r in found] == [match.run_id]
    assert application.query_runs_by_tags(tracking, experiment_id, {"code.stage": "x"}) == []


def test_max_results_counts_matching_runs_newest_first(
    container: Container, experiment_id: str
) -> None:
    tracking = container.backend()
    matching = [_run(tracking, experiment_id, {"k": "v"}, start=1000 + i) for i in range(5)]
    for i in range(5):
        _run(tracking, experiment_id, {"k": "other"}, start=2000 + i)
    found = application.query_runs_by_tags(tracking, [experiment_id], {"k": "v"}, max_results=3)
    assert [r.run_id for r in found] == [r.run_id for r in reversed(matching)][:3]
    everything = application.query_runs_by_tags(tracking, [experiment_id], {}, max_results=None)
    assert len(everything) == 10


def test_a_raw_filter_string_is_refused(container: Container, experiment_id: str) -> None:
    with pytest.raises(UnsupportedFilterError):
        application.query_runs_by_tags(None, [experiment_id], {}, "tags.x = 'y'")


TRICKY = [
    ("code.trial_id", "it's"),
    ("code.trial_id", 'say "hi"'),
    ("code.trial_id", "both ' and \""),
    ("code.trial_id", "back\\slash"),
    ("dash-key", "two  spaces"),
    ("key with spaces", "ünïcødé ✓"),
    ("dotted.key.name", "' OR '1'='1"),
]


@pytest.mark.parametrize(("key", "value"), TRICKY)
def test_tricky_keys_and_values_are_matched_exactly(
    container: Container, experiment_id: str, key: str, value: str
) -> None:
    tracking = container.backend()
    target = _run(tracking, experiment_id, {key: value})
    decoys = {value + "x", value.strip("'\""), value.replace("'", '"'), value.upper(), ""} - {value}
    for decoy in decoys:
        _run(tracking, experiment_id, {key: decoy})
    _run(tracking, experiment_id, {key + "x": value})
    found = application.query_runs_by_tags(tracking, [experiment_id], {key: value})
    assert [r.run_id for r in found] == [target.run_id]


@pytest.mark.parametrize("trial_id", ["trial_3_'x'", 'trial "4"', "trial_5 ' \" \\"])
def test_a_trial_id_with_quotes_finds_the_newest_run_not_interrupted(
    container: Container, experiment_id: str, unique_name: str, trial_id: str
) -> None:
    tracking = container.backend()
    older = _run(tracking, experiment_id, {"code.trial_id": trial_id}, start=1000)
    newest = _run(tracking, experiment_id, {"code.trial_id": trial_id}, start=3000)
    interrupted = {"code.trial_id": trial_id, "code.interrupted": "true"}
    _run(tracking, experiment_id, interrupted, status=RunStatus.KILLED, start=4000)
    _run(tracking, experiment_id, {"code.trial_id": trial_id + "0"}, start=5000)
    report = application.find_run_by_trial_id(trial_id, unique_name)
    assert (report.found, report.run_id, report.strategy_used) == (
        True,
        newest.run_id,
        "trial_id_tag_search",
    )
    assert older.run_id != report.run_id


def test_interrupted_runs_beyond_the_first_page_do_not_hide_the_trial(
    tracking: TrackingPort, unique_name: str
) -> None:
    experiment_id = tracking.create_experiment(unique_name)
    wanted = _run(tracking, experiment_id, {"code.trial_id": "t1"}, start=1000)
    for i in range(5):
        tags = {"code.trial_id": "t1", "code.interrupted": "true"}
        _run(tracking, experiment_id, tags, status=RunStatus.KILLED, start=2000 + i)
    queries = RunQueries(tracking, TagKeyRegistry.defaults(), trial_id_page_size=2)
    found = queries.latest_by_trial_id("t1", [experiment_id])
    assert found is not None and found.run_id == wanted.run_id


def test_trial_id_search_finds_the_trial_not_its_folds_and_a_resumed_trial_counts(
    tracking: TrackingPort, unique_name: str
) -> None:
    experiment_id = tracking.create_experiment(unique_name)
    trial = {"code.trial_id": "t1", "code.run_type": "trial", "code.interrupted": "true"}
    resumed = _run(tracking, experiment_id, trial, start=1000)
    for kind in ("fold", "refit"):
        _run(tracking, experiment_id, {"code.trial_id": "t1", "code.run_type": kind}, start=2000)
    found = RunQueries(tracking, TagKeyRegistry.defaults()).latest_by_trial_id(
        "t1", [experiment_id]
    )
    assert found is not None and found.run_id == resumed.run_id


def test_a_missing_trial_or_experiment_is_reported_not_raised(
    container: Container, experiment_id: str, unique_name: str
) -> None:
    missing = application.find_run_by_trial_id("nope", unique_name)
    assert not missing.found and missing.error == "No run found with trial_id='nope'"
    assert missing.attempted_names == ["trial_id_tag_search"]
    no_experiment = application.find_run_by_trial_id("t", unique_name + "-missing")
    assert no_experiment.error == f"Experiment '{unique_name}-missing' not found"


def test_best_run_ignores_missing_and_nan_and_breaks_ties_by_start_time(
    container: Container, experiment_id: str
) -> None:
    tracking = container.backend()
    early = _run(tracking, experiment_id, {}, start=1000, f1=0.9)
    late = _run(tracking, experiment_id, {}, start=2000, f1=0.9)
    _run(tracking, experiment_id, {}, start=3000, f1=math.nan)
    low = _run(tracking, experiment_id, {}, start=4000, f1=0.1)
    _run(tracking, experiment_id, {}, start=5000)
    runs = application.query_runs_by_tags(tracking, [experiment_id], {}, max_results=None)
    best = application.find_best_run_by_metric(runs, "f1")
    assert best is not None and best.run_id == early.run_id
    assert application.find_best_run_by_metric(list(reversed(runs)), "f1") == best
    worst = application.find_best_run_by_metric(runs, "f1", maximize=False)
    assert worst is not None and worst.run_id == low.run_id
    assert application.find_best_run_by_metric(runs, "absent") is None
    assert late.run_id != best.run_id


def test_runs_group_by_variant_with_a_default_group(
    container: Container, experiment_id: str
) -> None:
    tracking = container.backend()
    one = _run(tracking, experiment_id, {"code.variant": "1"}, start=3000)
    bare = _run(tracking, experiment_id, {}, start=2000)
    two = _run(tracking, experiment_id, {"code.variant": "2"}, start=1000)
    runs = application.query_runs_by_tags(tracking, [experiment_id], {})
    groups = application.group_runs_by_variant(runs)
    assert {k: [r.run_id for r in v] for k, v in groups.items()} == {
        "1": [one.run_id],
        "default": [bare.run_id],
        "2": [two.run_id],
    }
    assert application.group_runs_by_variant([]) == {}
