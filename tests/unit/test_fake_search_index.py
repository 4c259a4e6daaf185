"""The fake's tag index follows every write: searches see tags as they are now."""

from __future__ import annotations

from trackwright.adapters.memory import InMemoryTracking
from trackwright.domain.finding.query import RunQuery


def _names(fake: InMemoryTracking, experiment_id: str, **tags: str) -> list[str]:
    query = RunQuery(experiment_ids=(experiment_id,), tags=tags)
    return sorted(r.name for r in fake.search_runs(query).runs)


def test_a_changed_tag_is_found_by_its_new_value_only() -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    run = fake.create_run(exp, "a", {"stage": "hpo"})
    assert _names(fake, exp, stage="hpo") == ["a"]
    fake.log_batch(run.run_id, tags={"stage": "refit"})
    assert _names(fake, exp, stage="hpo") == []
    assert _names(fake, exp, stage="refit") == ["a"]


def test_runs_sharing_a_value_stay_found_when_one_of_them_changes() -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    first = fake.create_run(exp, "a", {"stage": "hpo"})
    fake.create_run(exp, "b", {"stage": "hpo"})
    assert _names(fake, exp, stage="hpo") == ["a", "b"]
    fake.log_batch(first.run_id, tags={"stage": "refit"})
    fake.create_run(exp, "c", {"stage": "hpo"})
    assert _names(fake, exp, stage="hpo") == ["b", "c"]


def test_a_tag_logged_after_creation_is_found() -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    assert _names(fake, exp, key="k") == []
    run = fake.create_run(exp, "a", {})
    fake.log_batch(run.run_id, tags={"key": "k"})
    assert _names(fake, exp, key="k") == ["a"]


def test_a_tag_search_only_returns_runs_of_the_asked_experiments() -> None:
    fake = InMemoryTracking()
    one, two = fake.create_experiment("one"), fake.create_experiment("two")
    fake.create_run(one, "a", {"key": "k"})
    fake.create_run(two, "b", {"key": "k"})
    assert _names(fake, one, key="k") == ["a"]
    query = RunQuery(experiment_ids=(two, one), tags={"key": "k"})
    assert sorted(r.name for r in fake.search_runs(query).runs) == ["a", "b"]


def test_a_returned_run_does_not_change_with_later_writes() -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    run = fake.create_run(exp, "a", {"key": "k"})
    (found,) = fake.search_runs(RunQuery(experiment_ids=(exp,), tags={"key": "k"})).runs
    fake.log_batch(run.run_id, tags={"other": "1"}, params={"p": "1"})
    assert "other" not in found.tags and dict(found.params) == {}
