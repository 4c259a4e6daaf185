"""The container, its settings, and the promise that the fake path never imports mlflow."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.domain.uris import redacted_uri


def _run(code: str, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    return result.stdout.strip()


def test_importing_the_library_does_not_import_mlflow() -> None:
    out = _run(
        """
        import sys, trackwright, trackwright.application, trackwright.domain
        import trackwright.adapters.memory, trackwright.adapters.yaml_config
        trackwright.build_container, trackwright.use_container, trackwright.InMemoryTracking
        print('mlflow' in sys.modules)
        """
    )
    assert out == "False"


def test_importing_the_front_door_loads_neither_the_container_library_nor_pydantic() -> None:
    out = _run(
        """
        import sys, trackwright, trackwright.application
        print(sorted(m for m in ("dependency_injector", "pydantic", "mlflow") if m in sys.modules))
        """
    )
    assert out == "[]"


def test_no_top_level_domain_adapters_or_application_outside_the_repository(
    tmp_path: Path,
) -> None:
    out = _run(
        """
        import importlib.util as u
        print([n for n in ("domain", "adapters", "application") if u.find_spec(n)])
        """,
        cwd=tmp_path,
    )
    assert out == "[]"


def test_every_exported_name_resolves_from_both_front_doors() -> None:
    import trackwright
    import trackwright.application as application

    assert [n for n in trackwright.__all__ if getattr(trackwright, n, None) is None] == []
    assert [n for n in application.__all__ if getattr(application, n, None) is None] == []
    with pytest.raises(AttributeError):
        trackwright.no_such_name  # noqa: B018


def _typed_imports(path: Path) -> dict[str, str]:
    """name -> module of the ``from M import N as N`` lines a front door shows to mypy."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.asname or alias.name: node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name != "*"
        and node.module != "__future__"
        and node.module not in ("importlib", "typing", "trackwright.application.exports")
    }


def test_the_names_mypy_sees_are_the_names_the_front_doors_load() -> None:
    import trackwright.application as application
    from trackwright.application.exports import APPLICATION, EVERYDAY, SEED_FUNCTIONS

    folder = Path(application.__file__).parent
    typed = _typed_imports(folder / "typed_names.py")
    extras = _typed_imports(folder / "front_door" / "__init__.py")
    assert typed == APPLICATION
    assert {**typed, **extras} == {**EVERYDAY, **SEED_FUNCTIONS}
    assert set(typed) & set(extras) == set()


def test_a_memory_container_creates_runs_without_importing_mlflow() -> None:
    out = _run(
        """
        import sys
        from trackwright.application import TrackwrightSettings, build_container
        c = build_container(TrackwrightSettings(backend="memory"))
        run = c.runs().create_standalone("e", "r")
        print(type(c.backend()).__name__, run.status.value, 'mlflow' in sys.modules)
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
        TrackwrightSettings(backend="postgres")


def test_tracking_is_the_retried_backend_and_backend_the_bare_one() -> None:
    container = build_container(TrackwrightSettings(backend="memory"))
    assert isinstance(container.backend(), InMemoryTracking)
    assert type(container.tracking()).__name__ == "RetryingTracking"


def test_lineage_and_trackers_come_from_the_container() -> None:
    import trackwright

    container = build_container(TrackwrightSettings(backend="memory"))
    experiment_id = container.experiments().get_or_create("e")
    context = trackwright.StageContext(kind=trackwright.RunKind.SWEEP, model="m")
    assert isinstance(container.sweep_tracker(experiment_id, context), trackwright.SweepTracker)
    assert isinstance(container.model_stages(experiment_id), trackwright.ModelStages)
    assert isinstance(container.lineage(), trackwright.LineageQuery)


def test_services_are_singletons_and_the_tracking_provider_can_be_overridden() -> None:
    container = build_container(TrackwrightSettings(backend="memory"))
    fake = InMemoryTracking()
    container.backend.override(fake)
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
        seen.extend([id(container.runs()), id(container.backend())])

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 2
