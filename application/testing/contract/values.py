"""TrackingPort contract, Values: one value-type and one key rule on every backend.

Metric values are stored as ``float(value)`` (MLflow's behaviour): numeric strings, ints
and bools included; what ``float()`` refuses is ``TrackingInvalidValueError`` with nothing
written. Param and tag values must be strings. A backend gets both rules from
``trackwright.domain.values`` (``metric_value``, ``check_text_values``). Searches match
values exactly, whatever their quotes, backslashes or script, and keys with spaces or
non-Latin letters.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from trackwright.application.testing.contract.fixtures import ContractFixtures
from trackwright.domain.errors import TrackingInvalidValueError
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Metric
from trackwright.domain.ports import TrackingPort

NUMERIC: dict[Any, float] = {
    "0.5": 0.5,
    " 1e3 ": 1000.0,
    3: 3.0,
    True: 1.0,
    "-inf": -1.7976931348623157e308,
}
NOT_NUMBERS: list[Any] = ["abc", "", "0x10", None, [1.0], 10**400]
NOT_TEXT: list[Any] = [5, 0.5, True, None]
AWKWARD = ["both ' and \"", "back\\slash", "it's", 'say "hi"', "ünïcødé 名前", ""]


class ValuesContract(ContractFixtures):
    """TrackingPort contract: Values (types of metric, param and tag values; exact matching)."""

    pytestmark = pytest.mark.contract

    def test_metric_values_float_accepts_are_stored_as_that_float(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        run = tracking.create_run(tracking.create_experiment(unique_name), "r", {})
        given = [Metric(f"m{i}", v, step=1) for i, v in enumerate([*NUMERIC, "nan"])]
        tracking.log_batch(run.run_id, metrics=given)
        stored = tracking.get_run(run.run_id).metrics
        assert [stored[f"m{i}"] for i in range(len(NUMERIC))] == list(NUMERIC.values())
        assert math.isnan(stored[f"m{len(NUMERIC)}"])

    @pytest.mark.parametrize("value", NOT_NUMBERS, ids=[repr(v)[:10] for v in NOT_NUMBERS])
    def test_a_metric_value_that_is_not_a_number_is_refused_and_nothing_written(
        self, tracking: TrackingPort, unique_name: str, value: Any
    ) -> None:
        run = tracking.create_run(tracking.create_experiment(unique_name), "r", {})
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, tags={"t": "x"}, metrics=[Metric("m", value)])
        assert tracking.get_run(run.run_id) == run

    @pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
    def test_param_and_tag_values_that_are_not_text_are_refused(
        self, tracking: TrackingPort, unique_name: str, value: Any
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        run = tracking.create_run(experiment_id, "r", {})
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, params={"p": value})
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, tags={"t": value})
        with pytest.raises(TrackingInvalidValueError):
            tracking.create_run(experiment_id, "r2", {"t": value})
        assert tracking.get_run(run.run_id) == run
        query = RunQuery(experiment_ids=(experiment_id,), lifecycle="all")
        assert [r.run_id for r in tracking.search_runs(query).runs] == [run.run_id]

    @pytest.mark.parametrize("key", ["with space", "ключ 名前", "a.b/c-d:e"])
    def test_awkward_values_under_unusual_keys_are_matched_exactly(
        self, tracking: TrackingPort, unique_name: str, key: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        made = {v: tracking.create_run(experiment_id, "r", {key: v}).run_id for v in AWKWARD}
        for value, run_id in made.items():
            query = RunQuery(experiment_ids=(experiment_id,), tags={key: value})
            assert [r.run_id for r in tracking.search_runs(query).runs] == [run_id], value
