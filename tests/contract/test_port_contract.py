"""The shipped TrackingPort contract suite, run on every backend of this repository."""

from __future__ import annotations

from trackwright.application.testing.contract import TrackingPortContract


class TestTrackingPortContract(TrackingPortContract):
    """``tracking`` comes from the conftest: the fake, a sqlite store and a live server."""
