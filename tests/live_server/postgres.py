"""The production deployment as a test backend: ``mlflow server`` on a real PostgreSQL.

``pgserver`` (a dev dependency) bundles PostgreSQL and starts it in about a second, on a
unix socket inside the session's folder (no TCP port at all). The MLflow server then runs
with two uvicorn workers on it, as a team would deploy it, and Optuna's RDB storage can
share the same PostgreSQL (another database). Everything is stopped by the session.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tests.live_server.server import LiveMlflowServer

logger = logging.getLogger(__name__)
SERVER_WORKERS = 2


class PostgresCluster:
    """One PostgreSQL cluster in ``folder``; databases are created by name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._server: Any = None

    def start(self) -> None:
        """Initialise (first time) and start the cluster; about a second."""
        import pgserver

        self._server = pgserver.get_server(self.folder / "pgdata", cleanup_mode="stop")

    def database(self, name: str) -> str:
        """A SQLAlchemy URI (psycopg 3 driver) of database ``name``, created if missing."""
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
        if "1 row" not in exists:
            self._server.psql(f"CREATE DATABASE {name};")
        uri = str(self._server.get_uri(name))
        return uri.replace("postgresql://", "postgresql+psycopg://", 1)

    def stop(self) -> None:
        """Stop the cluster (its processes end; the folder is removed by the caller)."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None


class PostgresMlflowServer(LiveMlflowServer):
    """``mlflow server --workers 2`` whose backend store is a database of its own cluster."""

    def __init__(self, folder: Path) -> None:
        self.cluster = PostgresCluster(folder)
        self.cluster.start()
        super().__init__(folder, self.cluster.database("mlflow"), workers=SERVER_WORKERS)

    def stop(self) -> None:
        """Stop the MLflow server's process group, then PostgreSQL."""
        try:
            super().stop()
        finally:
            self.cluster.stop()


def start_postgres_server() -> PostgresMlflowServer:
    """Launch the PostgreSQL-backed server in a fresh temporary folder (no waiting)."""
    folder = Path(tempfile.mkdtemp(prefix="trackwright-pg-server-"))
    try:
        server = PostgresMlflowServer(folder)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    server.start()
    return server
