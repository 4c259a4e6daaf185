"""TrackingPort contract, Search: semantics, ordering, paging and exact matching."""

from __future__ import annotations

import pytest

from trackwright.application.testing.contract.fixtures import ContractFixtures
from trackwright.domain.errors import TrackingInvalidValueError
from trackwright.domain.finding.query import OrderBy, RunQuery
from trackwright.domain.model import Metric, RunStatus
from trackwright.domain.ports import TrackingPort


def ids(page: object) -> list[str]:
    """The run ids of a search page, in order."""
    return [r.run_id for r in page.runs]  # type: ignore[attr-defined]


TRICKY_VALUES = [
    "it's",
    'say "hi"',
    "both ' and \"",
    "back\\slash",
    "ends with backslash\\",
    "\\'",
    "ünïcødé ✓ 名前",
    "",
    "  padded  ",
    "x" * 8000,
    "50%_like",
]


TRICKY_KEYS = ["code.study_key_hash", "with-dash", "with space", "slash/key", "colon:key"]


class SearchContract(ContractFixtures):
    """TrackingPort contract: Search: semantics, ordering, paging and exact matching."""

    pytestmark = pytest.mark.contract

    @pytest.fixture
    def experiment_id(self, tracking: TrackingPort, unique_name: str) -> str:
        return tracking.create_experiment(unique_name)

    def test_default_order_is_newest_start_first_then_run_id(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        runs = [
            tracking.create_run(experiment_id, f"r{i}", {}, start_time=t)
            for i, t in enumerate([5, 9, 9, 1, 9])
        ]
        found = ids(tracking.search_runs(RunQuery(experiment_ids=(experiment_id,))))
        ties = sorted(r.run_id for r in runs if r.start_time == 9)
        assert found == [*ties, runs[0].run_id, runs[3].run_id]

    def test_tag_equality_needs_the_tag_present_and_equal(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        match = tracking.create_run(experiment_id, "a", {"stage": "hpo", "model": "bert"})
        tracking.create_run(experiment_id, "b", {"stage": "hpo"})
        tracking.create_run(experiment_id, "c", {"stage": "hpo_refit", "model": "bert"})
        query = RunQuery(experiment_ids=(experiment_id,), tags={"stage": "hpo", "model": "bert"})
        assert ids(tracking.search_runs(query)) == [match.run_id]

    def test_status_sets_filter_runs(self, tracking: TrackingPort, experiment_id: str) -> None:
        finished = tracking.create_run(experiment_id, "f", {})
        failed = tracking.create_run(experiment_id, "x", {})
        tracking.create_run(experiment_id, "r", {})
        tracking.set_terminated(finished.run_id, RunStatus.FINISHED)
        tracking.set_terminated(failed.run_id, RunStatus.FAILED)
        one = RunQuery(experiment_ids=(experiment_id,), statuses=frozenset({RunStatus.FINISHED}))
        two = RunQuery(
            experiment_ids=(experiment_id,),
            statuses=frozenset({RunStatus.FINISHED, RunStatus.FAILED}),
        )
        assert ids(tracking.search_runs(one)) == [finished.run_id]
        assert set(ids(tracking.search_runs(two))) == {finished.run_id, failed.run_id}

    def test_parent_filter_finds_only_children(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        parent = tracking.create_run(experiment_id, "p", {})
        child = tracking.create_run(experiment_id, "c", {"mlflow.parentRunId": parent.run_id})
        tracking.create_run(experiment_id, "other", {})
        query = RunQuery(experiment_ids=(experiment_id,), parent_run_id=parent.run_id)
        assert ids(tracking.search_runs(query)) == [child.run_id]

    def test_lifecycle_selects_active_deleted_or_all(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        kept = tracking.create_run(experiment_id, "k", {})
        gone = tracking.create_run(experiment_id, "g", {})
        tracking.delete_run(gone.run_id)
        exp = (experiment_id,)
        assert ids(tracking.search_runs(RunQuery(experiment_ids=exp))) == [kept.run_id]
        deleted = RunQuery(experiment_ids=exp, lifecycle="deleted")
        assert ids(tracking.search_runs(deleted)) == [gone.run_id]
        assert set(ids(tracking.search_runs(RunQuery(experiment_ids=exp, lifecycle="all")))) == {
            kept.run_id,
            gone.run_id,
        }

    @pytest.mark.parametrize("ascending", [True, False])
    def test_metric_order_puts_nan_then_missing_last(
        self, tracking: TrackingPort, experiment_id: str, ascending: bool
    ) -> None:
        values = {"low": 0.1, "high": 0.9, "nan": float("nan"), "missing": None, "mid": 0.5}
        runs = {}
        for name, value in values.items():
            run = tracking.create_run(experiment_id, name, {}, start_time=100)
            if value is not None:
                tracking.log_batch(run.run_id, metrics=[Metric("f1", value, timestamp=1)])
            runs[name] = run.run_id
        query = RunQuery(
            experiment_ids=(experiment_id,), order_by=(OrderBy("f1", "metric", ascending),)
        )
        names = [r.name for r in tracking.search_runs(query).runs]
        numbers = ["low", "mid", "high"] if ascending else ["high", "mid", "low"]
        assert names == [*numbers, "nan", "missing"]

    def test_order_by_param_tag_and_run_name(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        for name, lr in [("b", "0.2"), ("a", "0.3"), ("c", "0.1")]:
            run = tracking.create_run(experiment_id, name, {"order": name})
            tracking.log_batch(run.run_id, params={"lr": lr})
        exp = (experiment_id,)
        by_param = RunQuery(experiment_ids=exp, order_by=(OrderBy("lr", "param", True),))
        by_tag = RunQuery(experiment_ids=exp, order_by=(OrderBy("order", "tag", False),))
        by_name = RunQuery(experiment_ids=exp, order_by=(OrderBy("run_name", ascending=True),))
        assert [r.name for r in tracking.search_runs(by_param).runs] == ["c", "b", "a"]
        assert [r.name for r in tracking.search_runs(by_tag).runs] == ["c", "b", "a"]
        assert [r.name for r in tracking.search_runs(by_name).runs] == ["a", "b", "c"]

    def test_pages_cover_every_match_once_in_order(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        created = [
            tracking.create_run(experiment_id, f"r{i}", {"k": "v"}, start_time=i + 1)
            for i in range(7)
        ]
        expected = [r.run_id for r in reversed(created)]
        seen: list[str] = []
        token = None
        pages = 0
        while True:
            page = tracking.search_runs(
                RunQuery(
                    experiment_ids=(experiment_id,),
                    tags={"k": "v"},
                    max_results=3,
                    page_token=token,
                )
            )
            seen += ids(page)
            pages += 1
            token = page.next_page_token
            if token is None:
                break
        assert seen == expected
        assert pages == 3

    def test_max_results_none_returns_every_match(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        for i in range(12):
            tracking.create_run(experiment_id, f"r{i}", {})
        page = tracking.search_runs(RunQuery(experiment_ids=(experiment_id,)))
        assert len(page.runs) == 12 and page.next_page_token is None

    def test_an_unknown_page_token_is_invalid(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        with pytest.raises(TrackingInvalidValueError):
            tracking.search_runs(
                RunQuery(experiment_ids=(experiment_id,), page_token="not-a-token")
            )

    @pytest.mark.parametrize("value", TRICKY_VALUES, ids=range(len(TRICKY_VALUES)))
    def test_tag_values_with_quotes_backslashes_and_unicode_match_exactly(
        self, tracking: TrackingPort, experiment_id: str, value: str
    ) -> None:
        target = tracking.create_run(experiment_id, "target", {"v": value})
        decoys = {
            value + " ",
            value.upper() if value.upper() != value else value + "x",
            "x" + value,
        }
        # PostgreSQL refuses values over 8000 characters (sqlite stores them): near misses fit.
        for decoy in {d if len(d) <= 8000 else d[:7999] + "y" for d in decoys}:
            tracking.create_run(experiment_id, "decoy", {"v": decoy})
        query = RunQuery(experiment_ids=(experiment_id,), tags={"v": value})
        assert ids(tracking.search_runs(query)) == [target.run_id]

    @pytest.mark.parametrize("key", TRICKY_KEYS)
    def test_tag_keys_with_dots_dashes_spaces_and_slashes_match_exactly(
        self, tracking: TrackingPort, experiment_id: str, key: str
    ) -> None:
        target = tracking.create_run(experiment_id, "target", {key: "1"})
        tracking.create_run(experiment_id, "decoy", {key: "2", key + "x": "1"})
        query = RunQuery(experiment_ids=(experiment_id,), tags={key: "1"})
        assert ids(tracking.search_runs(query)) == [target.run_id]

    def test_client_side_matches_page_without_losing_runs(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        both = "both ' and \""
        wanted = [
            tracking.create_run(experiment_id, f"w{i}", {"v": both}, start_time=100 - i)
            for i in range(5)
        ]
        for i in range(5):
            tracking.create_run(experiment_id, f"d{i}", {"v": "other"}, start_time=100 - i)
        seen: list[str] = []
        token = None
        while True:
            page = tracking.search_runs(
                RunQuery(
                    experiment_ids=(experiment_id,),
                    tags={"v": both},
                    max_results=2,
                    page_token=token,
                )
            )
            seen += ids(page)
            token = page.next_page_token
            if token is None:
                break
        assert seen == [r.run_id for r in wanted]
