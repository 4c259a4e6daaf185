"""A real ``mlflow server`` on 127.0.0.1 for the HTTP leg of the tests.

Started in its own session (process group), so stopping it by the id it was started with
also stops its uvicorn worker; the group is then checked to be empty. Options chosen to
start fast and quietly (about 10 s instead of 25 s on a 2-core machine):

- ``--workers 1``: one uvicorn worker instead of four, each of which imports MLflow.
- ``MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false``: no huey job runner and its seven
  consumer processes (they serve GenAI jobs the tests never use).
- ``--uvicorn-opts "--log-level warning --no-access-log"``: no line per request.
- No proxy variables, and ``MLFLOW_DISABLE_TELEMETRY``: the server talks to nobody.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "ftp_proxy")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def without_proxies(environ: dict[str, str]) -> dict[str, str]:
    """``environ`` with every proxy variable removed and loopback exempted."""
    env = {k: v for k, v in environ.items() if k.lower() not in _PROXY_VARIABLES}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def _mlflow_executable() -> str:
    """The ``mlflow`` command of the interpreter running the tests (the project's venv)."""
    return str(Path(sys.executable).parent / "mlflow")


class LiveMlflowServer:
    """One ``mlflow server`` process group, with a sqlite store in ``folder`` by default.

    ``backend_store_uri`` and ``workers`` choose another store (the PostgreSQL leg passes
    its database) and more uvicorn workers.
    """

    def __init__(
        self, folder: Path, backend_store_uri: str | None = None, workers: int = 1
    ) -> None:
        self.folder = folder
        self.backend_store_uri = backend_store_uri or f"sqlite:///{folder / 'mlflow.db'}"
        self.workers = workers
        self.port = free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        self.started_at = 0.0
        self.ready_after: float | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._watcher = threading.Thread()

    def start(self) -> None:
        """Launch the server without waiting for it."""
        env = without_proxies(dict(os.environ))
        env.update(MLFLOW_SERVER_ENABLE_JOB_EXECUTION="false", MLFLOW_DISABLE_TELEMETRY="true")
        command = [
            _mlflow_executable(),
            "server",
            "--backend-store-uri",
            self.backend_store_uri,
            "--artifacts-destination",
            str(self.folder / "artifacts"),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--uvicorn-opts",
            "--log-level warning --no-access-log",
        ]
        self.started_at = time.monotonic()
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                command,
                cwd=self.folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _watch(self, limit: float = 300.0) -> None:
        """Poll ``/health`` from launch, so the start-up time is measured, not guessed."""
        while time.monotonic() < self.started_at + limit:
            if self._process is None or self._process.poll() is not None:
                return
            if self._answers():
                self.ready_after = time.monotonic() - self.started_at
                return
            time.sleep(0.1)

    def wait_until_ready(self, timeout: float = 120.0) -> float:
        """Wait until the server answers ``/health``; returns its start-up time in seconds.

        The deadline counts from launch (the server starts while the other legs run).
        """
        self._watcher.join(max(0.0, self.started_at + timeout - time.monotonic()))
        if self.ready_after is not None:
            return self.ready_after
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError(f"mlflow server exited early:\n{self.log_tail()}")
        raise RuntimeError(f"mlflow server did not answer within {timeout} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.uri}/health", timeout=1) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, size: int = 3000) -> str:
        """The end of the server's log."""
        return self.log_path.read_text(errors="replace")[-size:] if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop the process group the server was started as, and check nothing is left."""
        if self._process is None:
            return
        group = self._process.pid
        _signal_group(group, signal.SIGTERM)
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _signal_group(group, signal.SIGKILL)
            self._process.wait(timeout=5)
        _wait_until_group_is_gone(group)
        self._process = None


def _signal_group(group: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signum)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until_group_is_gone(group: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _group_alive(group):
        _signal_group(group, signal.SIGKILL)
        time.sleep(0.5)
    if _group_alive(group):
        raise RuntimeError(f"processes of the mlflow server group {group} are still running")
