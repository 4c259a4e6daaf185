"""The backend passes trackwright's shipped TrackingPort contract suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from trackwright_example_sqlite import SqliteRunsTracking

from trackwright.testing import TrackingPortContract


class TestSqliteRunsTracking(TrackingPortContract):
    @pytest.fixture
    def tracking(self, tmp_path: Path) -> SqliteRunsTracking:
        return SqliteRunsTracking(tmp_path / "runs.db")
