"""The TrackingPort contract suite, shipped so that every backend proves the same promises.

A backend author runs it in their own repository (the pattern of fsspec's and
eventsourcing's shared suites): subclass ``TrackingPortContract`` in a test module and give
it a ``tracking`` fixture that returns a fresh, empty backend::

    import pytest
    from trackwright.testing import TrackingPortContract

    class TestMyTracking(TrackingPortContract):
        @pytest.fixture
        def tracking(self, tmp_path):
            return MyTracking(tmp_path / "runs.db")

Every test receives ``tracking`` and ``unique_name`` (an experiment name no other test uses,
so a shared backend such as a live server works too). The parts can be used one by one:
``ExperimentsContract``, ``RunsContract``, ``SearchContract``, ``EdgesContract`` and
``ValuesContract``.
The suite needs pytest (a test-time dependency of the backend's repository, not a runtime one).
"""

from __future__ import annotations

from trackwright.application.testing.contract.edges import EdgesContract
from trackwright.application.testing.contract.experiments import ExperimentsContract
from trackwright.application.testing.contract.runs import RunsContract
from trackwright.application.testing.contract.search import SearchContract
from trackwright.application.testing.contract.values import ValuesContract

__all__ = [
    "EdgesContract",
    "ExperimentsContract",
    "RunsContract",
    "SearchContract",
    "TrackingPortContract",
    "ValuesContract",
]


class TrackingPortContract(
    ExperimentsContract, RunsContract, SearchContract, EdgesContract, ValuesContract
):
    """Every promise of ``TrackingPort``; subclass it and provide a ``tracking`` fixture."""
