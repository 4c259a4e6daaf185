"""Every store that cannot be used fails fast and typed: in the library and on the CLI.

The CLI runs as its own process (as a user runs it): exit 2, one stderr line, no
traceback, no password, within 10 s, and nothing created. The "read-only folder" is
``/sys/kernel``: sysfs refuses new files even to root (tests run as root, so permission
bits alone would not stop them). ``/proc/1/<missing>`` is a folder nobody can create.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.badinput.conftest import PASSWORD, Finished, snapshot
from trackwright.domain.errors import TrackingError, TrackingStoreError

pytestmark = pytest.mark.sqlite
LIMIT_SECONDS = 10.0
READ_ONLY_FOLDER = Path("/sys/kernel")
UNCREATABLE_FOLDER = Path("/proc/1/trackwright-missing")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _failing_stores(tmp: Path) -> dict[str, str]:
    not_a_database = tmp / "notes.db"
    not_a_database.write_text("these are my notes, not a database\n")
    name = f"trackwright-{uuid.uuid4().hex[:8]}.db"
    return {
        "unparsable-sqlite": "sqlite:",
        "unknown-scheme": f"nosuchscheme://bob:{PASSWORD}@somewhere/x",
        "not-a-database": f"sqlite:///{not_a_database}",
        "read-only-folder": f"sqlite:///{READ_ONLY_FOLDER / name}",
        "uncreatable-folder": f"sqlite:///{UNCREATABLE_FOLDER / name}",
        "missing-folder": f"sqlite:///{tmp / 'typo' / 'sub' / 'mlflow.db'}",
        "nothing-listening": f"http://bob:{PASSWORD}@127.0.0.1:{_free_port()}",
    }


STORES = [
    "unparsable-sqlite",
    "unknown-scheme",
    "not-a-database",
    "read-only-folder",
    "uncreatable-folder",
    "missing-folder",
    "nothing-listening",
]


@pytest.mark.parametrize("store", STORES)
def test_a_read_command_on_a_failing_store_is_one_line_exit_2_and_creates_nothing(
    run_cli: Callable[..., Finished], tmp_path: Path, store: str
) -> None:
    uri = _failing_stores(tmp_path)[store]
    before = snapshot(tmp_path)
    done = run_cli("--tracking-uri", uri, "tree", "x")
    assert done.code == 2, done.stderr
    done.assert_one_clean_line()
    assert done.seconds < LIMIT_SECONDS
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("store", ["read-only-folder", "uncreatable-folder", "not-a-database"])
def test_the_demo_on_a_store_it_cannot_create_is_one_line_exit_2(
    run_cli: Callable[..., Finished], tmp_path: Path, store: str
) -> None:
    uri = _failing_stores(tmp_path)[store]
    before = snapshot(tmp_path)
    done = run_cli("--tracking-uri", uri, "demo", "--trials", "1", "--folds", "1")
    assert done.code == 2, done.stderr
    done.assert_one_clean_line()
    assert done.seconds < LIMIT_SECONDS
    assert snapshot(tmp_path) == before
    assert not any(READ_ONLY_FOLDER.glob("trackwright-*.db"))


@pytest.mark.parametrize("store", [s for s in STORES if s != "missing-folder"])
def test_the_library_raises_a_tracking_error_for_every_failing_store(
    tmp_path: Path, store: str
) -> None:
    from trackwright.application import TrackwrightSettings, build_container

    uri = _failing_stores(tmp_path)[store]
    settings = TrackwrightSettings(tracking_uri=uri, retry_attempts=2, retry_initial_wait=0)
    started = time.monotonic()
    with pytest.raises(TrackingError) as info:
        build_container(settings).runs().create_standalone("exp", "run")
    assert time.monotonic() - started < LIMIT_SECONDS
    assert PASSWORD not in str(info.value)
    if store != "nothing-listening":
        assert isinstance(info.value, TrackingStoreError)


def test_a_missing_folder_is_created_by_the_library_but_not_by_a_reader(tmp_path: Path) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    path = tmp_path / "new" / "mlflow.db"
    with pytest.raises(TrackingStoreError):
        MlflowTracking(f"sqlite:///{path}", create_store=False)
    assert not (tmp_path / "new").exists()
    MlflowTracking(f"sqlite:///{path}").create_experiment("e")
    assert path.is_file()


def test_an_sqlite_file_without_mlflow_tables_is_not_a_store_for_a_reader(tmp_path: Path) -> None:
    import sqlite3

    from trackwright.adapters.mlflow_store import MlflowTracking

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (text)")
    before = path.read_bytes()
    with pytest.raises(TrackingStoreError, match="not an MLflow database"):
        MlflowTracking(f"sqlite:///{path}", create_store=False)
    assert path.read_bytes() == before


def test_building_a_container_and_calling_mlflow_leaves_the_environment_unchanged(
    sqlite_uri: str,
) -> None:
    import os

    import mlflow
    from mlflow.utils import rest_utils

    from trackwright.adapters.mlflow_store.errors import translating
    from trackwright.application import TrackwrightSettings, build_container

    before = dict(os.environ)
    container = build_container(TrackwrightSettings(tracking_uri=sqlite_uri))
    container.runs().create_standalone("env", "run")
    assert dict(os.environ) == before
    user_default = rest_utils.MLFLOW_HTTP_REQUEST_MAX_RETRIES.get()
    assert user_default == mlflow.environment_variables.MLFLOW_HTTP_REQUEST_MAX_RETRIES.get()
    with translating("probe"):
        assert rest_utils.MLFLOW_HTTP_REQUEST_MAX_RETRIES.get() == 0
