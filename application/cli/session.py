"""What every command shares: the store it talks to and how failures become exit codes.

Exit codes: 0 success, 1 nothing found, 2 the command cannot run as asked (bad usage,
malformed input, a store that cannot be reached or a URI no store understands). A failure
is one line on stderr, never a traceback; credentials in URIs are never printed.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click

from trackwright.application.container import Container, build_container
from trackwright.application.settings import TrackwrightSettings
from trackwright.application.trackers.stage_runs import StageRuns
from trackwright.domain.errors import (
    DomainError,
    ExperimentNotFoundError,
    RunNotFoundError,
    TrackingError,
    TrackingNotFoundError,
)
from trackwright.domain.uris import redacted_text, redacted_uri

DEFAULT_STORE = "sqlite:///mlflow.db"
NOT_FOUND, BAD_USAGE = 1, 2
_HTTP_DEFAULTS = {"MLFLOW_HTTP_REQUEST_TIMEOUT": "10"}  # fail fast on a dead server


class NothingFoundError(DomainError):
    """The command ran and found nothing (exit 1)."""


@dataclass
class Session:
    """One command's view of the store."""

    tracking_uri: str = field(repr=False)
    as_json: bool = False
    _container: Container | None = field(default=None, repr=False)

    @property
    def container(self) -> Container:
        """The container on this store, built on first use."""
        if self._container is None:
            for name, value in _HTTP_DEFAULTS.items():
                os.environ.setdefault(name, value)
            self._container = build_container(TrackwrightSettings(tracking_uri=self.tracking_uri))
        return self._container

    def stage_runs(self) -> StageRuns:
        """The stage runs service over this store."""
        return self.container.stage_runs()

    def experiment_id(self, name: str) -> str:
        """The id of the active experiment ``name``.

        Raises:
            NothingFoundError: No such experiment.
        """
        found = self.container.experiments().find(name)
        if found is None:
            raise NothingFoundError(
                f"no experiment named {name!r} in {redacted_uri(self.tracking_uri)}"
            )
        return found.experiment_id

    def emit(self, payload: Any, human: Callable[[], Iterator[str]]) -> None:
        """Print ``payload`` as JSON with ``--json``, else the human lines."""
        if self.as_json:
            click.echo(json.dumps(payload, indent=2, sort_keys=True, default=str))
        else:
            for line in human():
                click.echo(line)


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr, then exit with ``code``."""
    click.echo(f"trackwright: {message}", err=True)
    sys.exit(code)


def exit_code_of(error: BaseException) -> int:
    """1 for "nothing found", 2 for everything that stopped the command from running."""
    found_nothing = (
        NothingFoundError,
        ExperimentNotFoundError,
        RunNotFoundError,
        TrackingNotFoundError,
    )
    return NOT_FOUND if isinstance(error, found_nothing) else BAD_USAGE


@contextmanager
def reported_failures() -> Iterator[None]:
    """Turn the library's errors into one stderr line and an exit code."""
    try:
        yield
    except (DomainError, TrackingError, ValueError) as exc:
        fail((redacted_text(str(exc)).splitlines() or [type(exc).__name__])[0], exit_code_of(exc))
