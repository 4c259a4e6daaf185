"""The experiment-resolution chain and race-safe get-or-create, on the fake."""

from __future__ import annotations

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.domain.errors import (
    ExperimentResolutionError,
    TrackingAlreadyExistsError,
    TrackingUnavailableError,
)
from trackwright.domain.experiment_resolution import (
    ExperimentDirectory,
    ResolutionRequest,
    default_chain,
)


@pytest.fixture
def directory(fake: InMemoryTracking) -> ExperimentDirectory:
    return ExperimentDirectory(fake)


def test_parent_wins_then_name_then_active_then_creation(
    fake: InMemoryTracking, directory: ExperimentDirectory
) -> None:
    chain = default_chain(fake, directory)
    named = fake.create_experiment("named")
    parent_exp = fake.create_experiment("parent-exp")
    parent = fake.create_run(parent_exp, "p", {})
    assert chain.resolve(ResolutionRequest("named", parent.run_id)).strategy_used == "parent_run"
    by_name = chain.resolve(ResolutionRequest("named", "f" * 32))
    assert (by_name.experiment_id, by_name.strategy_used) == (named, "experiment_name")
    assert by_name.attempts == (("parent_run", f"parent run {'f' * 32!r} does not exist"),)
    active = chain.resolve(ResolutionRequest("nope", None, "7"))
    assert (active.experiment_id, active.strategy_used) == ("7", "active_run")
    created = chain.resolve(ResolutionRequest("fresh", create_if_missing=True))
    assert created.strategy_used == "get_or_create"
    assert [name for name, _ in created.attempts] == ["parent_run", "experiment_name", "active_run"]


def test_nothing_resolves_into_a_report_and_a_typed_error(
    fake: InMemoryTracking, directory: ExperimentDirectory
) -> None:
    chain = default_chain(fake, directory)
    report = chain.resolve(ResolutionRequest("missing"))
    assert report.experiment_id is None
    assert [why for _, why in report.attempts][-1] == "creation not requested"
    with pytest.raises(ExperimentResolutionError, match="no experiment named 'missing'"):
        chain.require(ResolutionRequest("missing"))
    assert fake.get_experiment_by_name("missing") is None


def test_a_lost_creation_race_returns_the_winners_id(fake: InMemoryTracking) -> None:
    class LosesTheRace(InMemoryTracking):
        def create_experiment(self, name: str) -> str:
            fake.create_experiment(name)
            raise TrackingAlreadyExistsError("exists", operation="create_experiment")

        def get_experiment_by_name(self, name: str):  # type: ignore[no-untyped-def]
            return fake.get_experiment_by_name(name)

    winner_directory = ExperimentDirectory(LosesTheRace())
    experiment_id = winner_directory.get_or_create("raced")
    found = fake.get_experiment_by_name("raced")
    assert found is not None and found.experiment_id == experiment_id


def test_backend_failures_are_not_taken_for_absence(fake: InMemoryTracking) -> None:
    class Down(InMemoryTracking):
        def get_experiment_by_name(self, name: str):  # type: ignore[no-untyped-def]
            raise TrackingUnavailableError("connection refused", operation="get_experiment_by_name")

    with pytest.raises(TrackingUnavailableError):
        default_chain(Down(), ExperimentDirectory(Down())).resolve(
            ResolutionRequest("x", create_if_missing=True)
        )


def test_found_experiments_are_remembered(
    fake: InMemoryTracking, directory: ExperimentDirectory
) -> None:
    fake.create_experiment("e")
    directory.find("e")
    fake.reset_calls()
    directory.find("e")
    directory.get_or_create("e")
    assert fake.call_count == 0
