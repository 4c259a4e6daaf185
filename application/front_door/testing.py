"""Test tools for backend authors and training apps.

``TrackingPortContract`` is the shipped TrackingPort contract suite: subclass it in your own
repository with a ``tracking`` fixture (docs/adding-a-backend.md). The pytest fixtures
``trackwright_container`` and ``trackwright_fake`` come with the installed pytest plugin.
"""

from __future__ import annotations

from trackwright.application.testing.contract import (
    EdgesContract,
    ExperimentsContract,
    RunsContract,
    SearchContract,
    TrackingPortContract,
)

__all__ = [
    "EdgesContract",
    "ExperimentsContract",
    "RunsContract",
    "SearchContract",
    "TrackingPortContract",
]
