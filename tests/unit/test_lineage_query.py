"""Lineage walks survive dangling links and follow every kind of link."""

from __future__ import annotations

import logging

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.application.use_cases.lineage_query import LineageQuery
from trackwright.domain.tags.keys import TagKeyRegistry


def test_a_dangling_link_is_skipped_and_the_next_link_followed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = InMemoryTracking()
    exp = fake.create_experiment("e")
    sweep = fake.create_run(exp, "sweep", {"code.run_type": "sweep"})
    tags = {
        "code.run_type": "final_training",
        "code.lineage.hpo_refit_run_id": "f" * 32,
        "code.lineage.hpo_sweep_run_id": sweep.run_id,
    }
    final = fake.create_run(exp, "final", tags)
    with caplog.at_level(logging.WARNING):
        chain = LineageQuery(fake, TagKeyRegistry.defaults()).up(final.run_id)
    assert [(s.kind, s.via) for s in chain] == [
        ("final_training", None),
        ("sweep", "code.lineage.hpo_sweep_run_id"),
    ]
    assert "points to missing run" in caplog.text


def test_down_follows_parent_and_lineage_links_breadth_first() -> None:
    fake = InMemoryTracking()
    exp, other = fake.create_experiment("hpo"), fake.create_experiment("models")
    sweep = fake.create_run(exp, "sweep", {})
    trial = fake.create_run(exp, "trial", {"mlflow.parentRunId": sweep.run_id})
    final = fake.create_run(other, "final", {"code.lineage.hpo_trial_run_id": trial.run_id})
    fake.create_run(other, "conv", {"code.lineage.parent_training_run_id": final.run_id})
    fake.create_run(other, "unrelated", {})
    query = LineageQuery(fake, TagKeyRegistry.defaults())
    assert [s.run.name for s in query.down(sweep.run_id, [other])] == ["trial", "final", "conv"]
    assert [s.run.name for s in query.down(sweep.run_id)] == ["trial"]
