"""TrackingPort contract, Experiments: create, find by name, delete, name rules."""

from __future__ import annotations

import pytest

from trackwright.application.testing.contract.fixtures import ContractFixtures
from trackwright.domain.errors import (
    TrackingAlreadyExistsError,
    TrackingInvalidValueError,
    TrackingNotFoundError,
)
from trackwright.domain.model import LifecycleStage
from trackwright.domain.ports import TrackingPort


class ExperimentsContract(ContractFixtures):
    """TrackingPort contract: Experiments: create, find by name, delete, name rules."""

    pytestmark = pytest.mark.contract

    def test_default_experiment_exists_with_id_zero(self, tracking: TrackingPort) -> None:
        default = tracking.get_experiment_by_name("Default")
        assert default is not None
        assert default.experiment_id == "0"
        assert default.is_active

    def test_created_experiment_is_found_by_name(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        found = tracking.get_experiment_by_name(unique_name)
        assert found is not None
        assert (found.experiment_id, found.name) == (experiment_id, unique_name)
        assert experiment_id.isdigit() and experiment_id != "0"

    def test_unknown_experiment_name_is_none(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        assert tracking.get_experiment_by_name(unique_name) is None

    def test_creating_a_taken_name_is_already_exists(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        tracking.create_experiment(unique_name)
        with pytest.raises(TrackingAlreadyExistsError) as info:
            tracking.create_experiment(unique_name)
        assert info.value.operation == "create_experiment"

    @pytest.mark.parametrize("name", ["", "x" * 501])
    def test_invalid_experiment_names_are_refused(self, tracking: TrackingPort, name: str) -> None:
        with pytest.raises(TrackingInvalidValueError):
            tracking.create_experiment(name)

    def test_deleted_experiment_keeps_its_name_until_restored(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        tracking.delete_experiment(experiment_id)
        deleted = tracking.get_experiment_by_name(unique_name)
        assert deleted is not None and deleted.lifecycle_stage is LifecycleStage.DELETED
        with pytest.raises(TrackingAlreadyExistsError):
            tracking.create_experiment(unique_name)
        tracking.restore_experiment(experiment_id)
        restored = tracking.get_experiment_by_name(unique_name)
        assert restored is not None and restored.is_active

    def test_deleting_an_unknown_or_deleted_experiment_is_not_found(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        with pytest.raises(TrackingNotFoundError):
            tracking.delete_experiment("987654")
        experiment_id = tracking.create_experiment(unique_name)
        tracking.delete_experiment(experiment_id)
        with pytest.raises(TrackingNotFoundError):
            tracking.delete_experiment(experiment_id)

    def test_deleting_an_experiment_soft_deletes_its_runs_and_restoring_brings_them_back(
        self, tracking: TrackingPort, unique_name: str
    ) -> None:
        experiment_id = tracking.create_experiment(unique_name)
        run = tracking.create_run(experiment_id, "r", {})
        tracking.delete_experiment(experiment_id)
        assert tracking.get_run(run.run_id).lifecycle_stage is LifecycleStage.DELETED
        tracking.restore_experiment(experiment_id)
        assert tracking.get_run(run.run_id).lifecycle_stage is LifecycleStage.ACTIVE
