"""Pytest hooks for the live server leg: start early, run last, stop by process group.

The server is launched as soon as collection finds a test marked ``server`` and those
tests run after all others, so its start-up overlaps the in-memory and sqlite legs.
``-m "not server"`` deselects the leg and nothing is started.

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
    items.sort(key=lambda item: item.get_closest_marker("server") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.get_closest_marker("server") for item in session.items):
        _start()


def _start() -> LiveMlflowServer:
    if "server" not in _state:
        server = LiveMlflowServer(Path(tempfile.mkdtemp(prefix="trackwright-mlflow-server-")))
        server.start()
        _state["server"] = server
    return _state["server"]


def _stop() -> None:
    server = _state.pop("server", None)
    if server is not None:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveMlflowServer]:
    """The session's ``mlflow server``, answering on 127.0.0.1."""
    server = _start()
    server.wait_until_ready()
    yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    server = _state.get("server")
    if server is not None and server.ready_after is not None:
        terminalreporter.write_line(
            f"mlflow server on {server.uri}: answered {server.ready_after:.1f} s after launch"
        )
