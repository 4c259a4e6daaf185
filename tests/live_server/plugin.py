"""Pytest hooks for the live server leg: start early, run last, stop by process group.

The server is launched as soon as collection finds a test marked ``server`` and those
tests run after all others, so its start-up overlaps the in-memory and sqlite legs.
``-m "not server"`` deselects the leg and nothing is started. Tests marked ``postgres``
get a second server, on a real PostgreSQL with two workers (``tests.live_server.postgres``),
started the same way and run last; ``-m "not postgres"`` deselects that leg.

For the whole session the test process talks to MLflow servers without proxies, and
MLflow's own HTTP retries are off (``MLFLOW_HTTP_REQUEST_MAX_RETRIES=0``): trackwright's
retry wrapper is the one under test, and a failing test answers in seconds, not minutes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server.postgres import start_postgres_server
from tests.live_server.server import LiveMlflowServer, without_proxies

SESSION_ENVIRONMENT = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "20",
    "MLFLOW_DISABLE_TELEMETRY": "true",
}
_state: dict[str, LiveMlflowServer] = {}
_saved_environment: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    _saved_environment.update(os.environ)
    clean = without_proxies(dict(os.environ))
    os.environ.clear()
    os.environ.update({**clean, **SESSION_ENVIRONMENT})


def pytest_unconfigure(config: pytest.Config) -> None:
    _stop()
    if _saved_environment:
        os.environ.clear()
        os.environ.update(_saved_environment)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the server leg last, so the other legs run while the server starts."""
    items.sort(key=_leg)


def _leg(item: pytest.Item) -> int:
    """0 for in-process tests, 1 for the sqlite server leg, 2 for the PostgreSQL leg."""
    if item.get_closest_marker("postgres"):
        return 2
    return 1 if item.get_closest_marker("server") else 0


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.get_closest_marker("server") for item in session.items):
        _start()
    if any(item.get_closest_marker("postgres") for item in session.items):
        _start_postgres()


def _start() -> LiveMlflowServer:
    if "server" not in _state:
        server = LiveMlflowServer(Path(tempfile.mkdtemp(prefix="trackwright-mlflow-server-")))
        server.start()
        _state["server"] = server
    return _state["server"]


def _start_postgres() -> LiveMlflowServer:
    if "postgres" not in _state:
        _state["postgres"] = start_postgres_server()
    return _state["postgres"]


def _stop() -> None:
    for name in ("server", "postgres"):
        server = _state.pop(name, None)
        if server is not None:
            server.stop()
            shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveMlflowServer]:
    """The session's ``mlflow server``, answering on 127.0.0.1."""
    server = _start()
    server.wait_until_ready()
    yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LiveMlflowServer]:
    """The session's ``mlflow server --workers 2`` on PostgreSQL, answering on 127.0.0.1."""
    server = _start_postgres()
    server.wait_until_ready()
    yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for name, server in _state.items():
        if server.ready_after is not None:
            terminalreporter.write_line(
                f"mlflow server ({name} leg) on {server.uri}: "
                f"answered {server.ready_after:.1f} s after launch"
            )
