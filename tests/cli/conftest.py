"""The ``cli`` fixture: the ``trackwright`` command on the test's sqlite store."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner, Result

from trackwright.application.cli import main


@pytest.fixture
def cli(sqlite_uri: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    runner = CliRunner()

    def invoke(*args: str, uri: str = sqlite_uri) -> Result:
        return runner.invoke(main, ["--tracking-uri", uri, *args], catch_exceptions=False)

    return invoke
