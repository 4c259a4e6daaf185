"""Installed, the backend is selected by name, like the built-in ones."""

from __future__ import annotations

from pathlib import Path

import pytest

import trackwright


def test_the_container_selects_the_backend_by_its_entry_point_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKWRIGHT_EXAMPLE_SQLITE_FILE", str(tmp_path / "runs.db"))
    assert "sqlite-runs" in trackwright.available_backends()
    container = trackwright.build_container(trackwright.TrackwrightSettings(backend="sqlite-runs"))
    run = container.runs().create_standalone("plugged-in", "first")
    assert type(container.backend()).__name__ == "SqliteRunsTracking"
    assert container.backend().get_run(run.run_id).name == "first"
    assert (tmp_path / "runs.db").exists()
