"""TrackingPort contract, Runs: create, read, log to and end runs."""

from __future__ import annotations

import math
import re
import sys

import pytest

from trackwright.application.testing.contract.fixtures import ContractFixtures
from trackwright.domain.errors import TrackingInvalidValueError, TrackingNotFoundError
from trackwright.domain.model import LifecycleStage, Metric, RunStatus
from trackwright.domain.ports import TrackingPort


class RunsContract(ContractFixtures):
    """TrackingPort contract: Runs: create, read, log to and end runs."""

    pytestmark = pytest.mark.contract

    @pytest.fixture
    def experiment_id(self, tracking: TrackingPort, unique_name: str) -> str:
        return tracking.create_experiment(unique_name)

    def test_created_run_is_running_with_its_tags_and_name(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "trial_1", {"a.b": "1", "c": ""})
        assert re.fullmatch(r"[0-9a-f]{32}", run.run_id)
        assert (run.experiment_id, run.name, run.status) == (
            experiment_id,
            "trial_1",
            RunStatus.RUNNING,
        )
        assert dict(run.tags) == {"a.b": "1", "c": "", "mlflow.runName": "trial_1"}
        assert run.end_time is None and run.start_time > 0

    def test_get_run_returns_what_create_run_stored(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        created = tracking.create_run(experiment_id, "r", {"k": "v"}, start_time=1234)
        fetched = tracking.get_run(created.run_id)
        assert fetched == created
        assert fetched.start_time == 1234

    def test_create_run_in_a_missing_experiment_is_not_found(self, tracking: TrackingPort) -> None:
        with pytest.raises(TrackingNotFoundError):
            tracking.create_run("987654", "r", {})

    def test_create_run_in_a_deleted_experiment_is_invalid(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        tracking.delete_experiment(experiment_id)
        with pytest.raises(TrackingInvalidValueError):
            tracking.create_run(experiment_id, "r", {})

    def test_run_name_and_run_name_tag_must_agree(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        with pytest.raises(TrackingInvalidValueError):
            tracking.create_run(experiment_id, "a", {"mlflow.runName": "b"})
        assert tracking.create_run(experiment_id, "a", {"mlflow.runName": "a"}).name == "a"

    def test_unknown_run_id_is_not_found_and_malformed_is_invalid(
        self, tracking: TrackingPort
    ) -> None:
        with pytest.raises(TrackingNotFoundError):
            tracking.get_run("0" * 32)
        with pytest.raises(TrackingInvalidValueError):
            tracking.get_run("not a run id!")

    def test_log_batch_writes_tags_params_and_latest_metrics(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        tracking.log_batch(
            run.run_id,
            tags={"t": "1"},
            params={"lr": "0.1"},
            metrics=[
                Metric("f1", 0.5, step=0, timestamp=10),
                Metric("f1", 0.7, step=2, timestamp=5),
                Metric("f1", 0.6, step=1, timestamp=20),
                Metric("loss", float("nan"), step=0, timestamp=1),
                Metric("big", float("inf"), step=0, timestamp=1),
                Metric("neg", -3.5, step=0, timestamp=1),
            ],
        )
        stored = tracking.get_run(run.run_id)
        assert stored.tags["t"] == "1" and stored.params == {"lr": "0.1"}
        assert stored.metrics["f1"] == 0.7
        assert math.isnan(stored.metrics["loss"])
        # MLflow's SQL store keeps infinity as the largest finite float.
        assert stored.metrics["big"] == sys.float_info.max and stored.metrics["neg"] == -3.5

    def test_same_step_later_timestamp_is_the_latest_metric(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        tracking.log_batch(run.run_id, metrics=[Metric("m", 2.0, step=1, timestamp=50)])
        tracking.log_batch(run.run_id, metrics=[Metric("m", 1.0, step=1, timestamp=60)])
        tracking.log_batch(run.run_id, metrics=[Metric("m", 9.0, step=1, timestamp=40)])
        assert tracking.get_run(run.run_id).metrics["m"] == 1.0

    def test_params_are_immutable_but_may_be_logged_again_unchanged(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        tracking.log_batch(run.run_id, params={"p": "1"})
        tracking.log_batch(run.run_id, params={"p": "1"})
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, params={"p": "2"})
        assert tracking.get_run(run.run_id).params["p"] == "1"

    def test_tags_can_be_overwritten(self, tracking: TrackingPort, experiment_id: str) -> None:
        run = tracking.create_run(experiment_id, "r", {"t": "1"})
        tracking.log_batch(run.run_id, tags={"t": "2"})
        assert tracking.get_run(run.run_id).tags["t"] == "2"

    @pytest.mark.parametrize(
        "tags",
        [{"bad!key": "v"}, {"k" * 251: "v"}, {"/abs": "v"}, {"a/../b": "v"}],
        ids=["characters", "too-long", "absolute", "dot-dot"],
    )
    def test_log_batch_refuses_invalid_tag_keys(
        self, tracking: TrackingPort, experiment_id: str, tags: dict[str, str]
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, tags=tags)

    def test_log_batch_accepts_batches_over_the_server_request_limits(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        params = {f"p{i}": str(i) for i in range(150)}
        tracking.log_batch(
            run.run_id, params=params, metrics=[Metric(f"m{i}", i) for i in range(1100)]
        )
        stored = tracking.get_run(run.run_id)
        assert stored.params == params and len(stored.metrics) == 1100

    def test_log_batch_truncates_tag_values_over_8000_characters(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        tracking.log_batch(run.run_id, tags={"long": "x" * 8001})
        assert tracking.get_run(run.run_id).tags["long"] == "x" * 8000

    def test_set_terminated_sets_status_and_end_time(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        tracking.set_terminated(run.run_id, RunStatus.FAILED, end_time=run.start_time + 5)
        ended = tracking.get_run(run.run_id)
        assert (ended.status, ended.end_time) == (RunStatus.FAILED, run.start_time + 5)

    def test_deleted_run_is_readable_but_refuses_writes(
        self, tracking: TrackingPort, experiment_id: str
    ) -> None:
        run = tracking.create_run(experiment_id, "r", {})
        tracking.delete_run(run.run_id)
        assert tracking.get_run(run.run_id).lifecycle_stage is LifecycleStage.DELETED
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, tags={"t": "1"})
        with pytest.raises(TrackingInvalidValueError):
            tracking.set_terminated(run.run_id, RunStatus.FINISHED)

    def test_deleting_an_unknown_run_is_not_found(self, tracking: TrackingPort) -> None:
        with pytest.raises(TrackingNotFoundError):
            tracking.delete_run("f" * 32)
