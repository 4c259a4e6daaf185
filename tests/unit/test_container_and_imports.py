"""The container, its settings, and the promise that the fake path never imports mlflow."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pydantic import ValidationError

from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.domain.uris import redacted_uri


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_importing_the_library_does_not_import_mlflow() -> None:
    out = _run(
        """
        import sys, application, domain, adapters.memory, adapters.yaml_config
        print('mlflow' in sys.modules)
        """
    )
    assert out == "False"


def test_a_memory_container_creates_runs_without_importing_mlflow() -> None:
    out = _run(
        """
        import sys
        from trackwright.application import TrackwrightSettings, build_container
        c = build_container(TrackwrightSettings(backend="memory"))
        run = c.runs().create_standalone("e", "r")
        print(type(c.tracking()).__name__, run.status.value, 'mlflow' in sys.modules)
        """
    )
    assert out == "InMemoryTracking RUNNING False"


def test_settings_come_from_the_environment() -> None:
    settings = TrackwrightSettings.from_env(
        {"MLFLOW_TRACKING_URI": " http://127.0.0.1:5000 ", "TRACKWRIGHT_BACKEND": "memory"}
    )
    assert settings.tracking_uri == "http://127.0.0.1:5000" and settings.backend == "memory"
    assert TrackwrightSettings.from_env({}).tracking_uri is None


def test_an_unknown_backend_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        TrackwrightSettings(backend="postgres")  # type: ignore[arg-type]


def test_services_are_singletons_and_the_tracking_provider_can_be_overridden() -> None:
    container = build_container(TrackwrightSettings(backend="memory"))
    fake = InMemoryTracking()
    container.tracking.override(fake)
    assert container.runs() is container.runs()
    container.runs().create_standalone("e", "r")
    assert fake.calls["create_run"] == 1


def test_credentials_are_redacted_from_uris() -> None:
    assert redacted_uri("https://alice:s3cret@host:5000/x") == "https://***@host:5000/x"
    assert redacted_uri("sqlite:///mlflow.db") == "sqlite:///mlflow.db"


def test_services_are_created_once_under_concurrent_first_use() -> None:
    import threading

    container = build_container(TrackwrightSettings(backend="memory"))
    barrier = threading.Barrier(8)
    seen: list[int] = []

    def first_use() -> None:
        barrier.wait()
        seen.extend([id(container.runs()), id(container.tracking())])

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 2


def test_a_bound_container_wins_over_a_tracking_uri_argument() -> None:
    from trackwright.application import create_child_run_core, use_container

    container = build_container(TrackwrightSettings(backend="memory"))
    fake = InMemoryTracking()
    container.tracking.override(fake)
    use_container(container)
    try:
        parent = container.runs().create_standalone("e", "sweep")
        run_id, _ = create_child_run_core(parent.run_id, "t", tracking_uri="sqlite:///elsewhere.db")
    finally:
        use_container(None)
    assert fake.get_run(run_id).parent_run_id == parent.run_id
