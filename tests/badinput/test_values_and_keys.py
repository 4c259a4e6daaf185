"""Bad values and keys at the port and the use cases: typed errors, the same on every backend.

Each case runs on the fake and on MLflow's sqlite store and checks that a refusal left the
store unchanged.
"""

from __future__ import annotations

import math
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
from trackwright.domain.model import Metric

NUMERIC = [("0.5", 0.5), (" 1e3 ", 1000.0), (3, 3.0), (True, 1.0), (False, 0.0), ("-2", -2.0)]


@pytest.mark.parametrize(("given", "stored"), NUMERIC, ids=[repr(v) for v, _ in NUMERIC])
def test_a_metric_value_float_accepts_is_stored_as_that_float(
    store: Container, given: Any, stored: float
) -> None:
    run = store.runs().create_standalone("exp", "r")
    store.tracking().log_batch(run.run_id, metrics=[Metric("m", given, step=1)])
    assert store.tracking().get_run(run.run_id).metrics["m"] == stored


@pytest.mark.parametrize("given", ["nan", "NaN", math.nan])
def test_nan_given_as_text_or_number_is_stored_as_nan(store: Container, given: Any) -> None:
    run = store.runs().create_standalone("exp", "r")
    store.tracking().log_batch(run.run_id, metrics=[Metric("m", given, step=1)])
    assert math.isnan(store.tracking().get_run(run.run_id).metrics["m"])


@pytest.mark.parametrize("given", ["inf", math.inf, "-Infinity"])
def test_infinities_are_stored_as_the_largest_float(store: Container, given: Any) -> None:
    run = store.runs().create_standalone("exp", "r")
    store.tracking().log_batch(run.run_id, metrics=[Metric("m", given, step=1)])
    assert abs(store.tracking().get_run(run.run_id).metrics["m"]) == 1.7976931348623157e308


BAD_METRICS = ["abc", "", "0x10", None, [1.0], 10**400]


@pytest.mark.parametrize("given", BAD_METRICS, ids=[repr(v)[:12] for v in BAD_METRICS])
def test_a_metric_value_that_is_not_a_number_is_refused_and_nothing_is_written(
    store: Container, given: Any
) -> None:
    run = store.runs().create_standalone("exp", "r")
    before = store.tracking().get_run(run.run_id)
    with pytest.raises(TrackingInvalidValueError, match="not a number"):
        store.tracking().log_batch(run.run_id, metrics=[Metric("m", given)])
    assert store.tracking().get_run(run.run_id) == before


@pytest.mark.parametrize("given", [5, 0.5, True, None], ids=repr)
@pytest.mark.parametrize("kind", ["param", "tag"])
def test_a_param_or_tag_value_that_is_not_text_is_refused_at_the_port(
    store: Container, given: Any, kind: str
) -> None:
    run = store.runs().create_standalone("exp", "r")
    before = store.tracking().get_run(run.run_id)
    with pytest.raises(TrackingInvalidValueError, match="values are strings"):
        store.tracking().log_batch(run.run_id, **{f"{kind}s": {"k": given}})  # type: ignore[arg-type]
    with pytest.raises(TrackingInvalidValueError, match="values are strings"):
        store.tracking().create_run(run.experiment_id, "r2", {"k": given})
    assert store.tracking().get_run(run.run_id) == before
    assert len(every_run(store)) == 1


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


@pytest.mark.parametrize("key", ["with space", "ключ 名前", "a.b/c-d:e"])
def test_unusual_but_valid_keys_are_found_exactly_everywhere(store: Container, key: str) -> None:
    wanted = store.runs().create_standalone("exp", "r1", tags={key: "both ' and \" \\"})
    store.runs().create_standalone("exp", "r2", tags={key: "both ' and \""})
    query = RunQuery(experiment_ids=(wanted.experiment_id,), tags={key: "both ' and \" \\"})
    assert [r.run_id for r in store.tracking().search_runs(query).runs] == [wanted.run_id]


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
