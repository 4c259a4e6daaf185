"""TrackingPort contract, Edges found by the differential property test against MLflow."""

from __future__ import annotations

import pytest

from trackwright.application.testing.contract.fixtures import ContractFixtures
from trackwright.domain.errors import TrackingInvalidValueError
from trackwright.domain.model import LifecycleStage, Metric, RunStatus
from trackwright.domain.ports import TrackingPort


class EdgesContract(ContractFixtures):
    """TrackingPort contract: Edges found by the differential property test against MLflow."""

    pytestmark = pytest.mark.contract

    def test_an_empty_batch_is_a_no_op_whatever_the_run(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        run = tracking.create_run(experiment_id, "r", {})
        tracking.delete_run(run.run_id)
        tracking.log_batch(run.run_id)
        tracking.log_batch("0" * 32, tags={}, params={}, metrics=[])
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, tags={"t": "1"})

    def test_deleting_a_deleted_run_is_accepted(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        run = tracking.create_run(experiment_id, "r", {})
        tracking.delete_run(run.run_id)
        tracking.delete_run(run.run_id)
        assert tracking.get_run(run.run_id).lifecycle_stage is LifecycleStage.DELETED

    def test_runs_of_a_deleted_experiment_refuse_writes(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        run = tracking.create_run(experiment_id, "r", {})
        tracking.delete_experiment(experiment_id)
        with pytest.raises(TrackingInvalidValueError):
            tracking.log_batch(run.run_id, tags={"a": "b"})
        with pytest.raises(TrackingInvalidValueError):
            tracking.set_terminated(run.run_id, RunStatus.FINISHED, end_time=5)

    def test_metrics_without_timestamps_in_one_batch_share_one_timestamp(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        run = tracking.create_run(experiment_id, "r", {})
        values = [float(v) for v in range(1, 400)]
        tracking.log_batch(run.run_id, metrics=[Metric("m", v, step=1) for v in reversed(values)])
        # Same step and timestamp: the largest value is the latest, however long the batch took.
        assert tracking.get_run(run.run_id).metrics["m"] == max(values)
