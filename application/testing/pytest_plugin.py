"""A pytest plugin for training apps: swap the tracker for the fake with one fixture.

Installed with trackwright (entry point ``pytest11``). In a test::

    def test_training_logs_one_run_per_fold(trackwright_container):
        train(container=trackwright_container)           # or code using the seed functions
        fake = trackwright_container.backend()
        assert fake.calls["create_run"] == 3

``trackwright_container`` is a fresh container on ``InMemoryTracking`` per test, and the
seed-compatible functions (``trackwright.create_child_run`` ...) are bound to it for the
test's duration. ``trackwright_fake`` is its ``InMemoryTracking``.

pytest loads this module in every run of a project that has trackwright installed, so it
imports nothing of trackwright until a test asks for one of its fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from trackwright.adapters.memory import InMemoryTracking
    from trackwright.application.container import Container


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``contract`` marker that the shipped contract suite carries."""
    config.addinivalue_line("markers", "contract: the trackwright TrackingPort contract suite")


@pytest.fixture
def trackwright_container() -> Iterator[Container]:
    """A fresh container on the in-memory fake; the seed functions use it meanwhile."""
    from trackwright.application.container import build_container
    from trackwright.application.seed.store_selection import use_container
    from trackwright.application.settings import TrackwrightSettings

    container = build_container(TrackwrightSettings(backend="memory"))
    use_container(container)
    try:
        yield container
    finally:
        use_container(None)


@pytest.fixture
def trackwright_fake(trackwright_container: Container) -> InMemoryTracking:
    """The ``InMemoryTracking`` behind ``trackwright_container``."""
    from trackwright.adapters.memory import InMemoryTracking

    fake = trackwright_container.backend()
    assert isinstance(fake, InMemoryTracking)
    return fake
