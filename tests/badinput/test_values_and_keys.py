"""Bad keys, positions and ids at the use cases: typed errors, the same on every backend.

Each case runs on the fake and on MLflow's sqlite store and checks that a refusal left the
store unchanged. Value types at the port (metric, param and tag values) are promises of the
shipped contract kit (``application/testing/contract/values.py``), run on every backend.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.badinput.conftest import every_run
from trackwright.application import Container
from trackwright.application.seed.training import get_mlflow_run_url
from trackwright.domain.errors import (
    IdentityError,
    InvalidExperimentIdError,
    InvalidRunIdError,
    TrackingError,
    TrackingInvalidValueError,
)
from trackwright.domain.finding.query import OrderBy, RunQuery

ODD_KEYS = ["back`tick", "k` = 'v' OR tags.`other", "it's", 'say "k"', "tab\tkey", "a" * 251]


@pytest.mark.parametrize("key", ODD_KEYS, ids=[k[:14] for k in ODD_KEYS])
def test_a_search_by_a_key_no_run_can_carry_is_refused_alike_everywhere(
    store: Container, key: str
) -> None:
    run = store.runs().create_standalone("exp", "r", tags={"other": "x"})
    with pytest.raises(TrackingInvalidValueError, match="cannot search by tag key"):
        store.tracking().search_runs(RunQuery(experiment_ids=(run.experiment_id,), tags={key: "v"}))
    with pytest.raises(TrackingInvalidValueError):
        OrderBy(key, "tag")
    with pytest.raises(TrackingError):
        store.run_queries().finished_with_tags([run.experiment_id], {key: "v"})


@pytest.mark.parametrize(
    ("trial_number", "fold_idx"),
    [(-1, None), ("x", None), (True, None), (1.5, None), (None, "x"), (None, -1), (None, False)],
)
def test_a_bad_trial_number_or_fold_index_is_refused_before_any_write(
    store: Container, trial_number: Any, fold_idx: Any
) -> None:
    parent = store.runs().create_standalone("exp", "sweep")
    before = every_run(store)
    with pytest.raises(IdentityError):
        store.runs().create_child(parent.ref, "t", trial_number=trial_number, fold_idx=fold_idx)
    assert every_run(store) == before


def test_a_trial_number_given_as_digits_is_tagged_as_the_number(store: Container) -> None:
    parent = store.runs().create_standalone("exp", "sweep")
    child = store.runs().create_child(parent.ref, "t", trial_number="03", fold_idx=2)
    assert (child.tags["trial_number"], child.tags["fold_idx"]) == ("3", "2")


@pytest.mark.parametrize(
    ("experiment_id", "run_id", "error"),
    [
        ("1", "abc/../../admin", InvalidRunIdError),
        ("1", "a" * 32 + "?x=<script>", InvalidRunIdError),
        ("1#frag", "a" * 32, InvalidExperimentIdError),
        ("", "a" * 32, InvalidExperimentIdError),
    ],
)
def test_a_run_url_refuses_ids_that_are_not_ids(
    experiment_id: str, run_id: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        get_mlflow_run_url(experiment_id, run_id, "http://mlflow.example.com")


def test_a_run_url_hint_quotes_the_store_for_the_shell() -> None:
    hint = get_mlflow_run_url("1", "a" * 32, "sqlite:///my runs;rm -rf ~.db")
    assert "'sqlite:///my runs;rm -rf ~.db'" in hint
