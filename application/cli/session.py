"""What every command shares: the store it talks to and how failures become exit codes.

Exit codes: 0 success, 1 nothing found, 2 the command cannot run as asked (bad usage,
malformed input, a store that cannot be reached or a URI no store understands). A failure
is one line on stderr, never a traceback; credentials in URIs are never printed.

The settings are the library's (``TrackwrightSettings.from_env``: ``TRACKWRIGHT_*``
variables), with the store from ``--tracking-uri``; a person is waiting, so without
``TRACKWRIGHT_RETRY_ATTEMPTS`` a call is tried 3 times, not the library's 5. Commands
that only read open the store without creating it: a mistyped sqlite path is an error,
not a new empty database.
Library log lines are not printed unless ``--verbose`` asks for them.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import click

from trackwright.application.cli.render import terminal_safe
from trackwright.domain.errors import (
    DomainError,
    ExperimentNotFoundError,
    RunNotFoundError,
    TrackingError,
    TrackingNotFoundError,
)
from trackwright.domain.uris import redacted_text, redacted_uri

if TYPE_CHECKING:  # loaded when a command runs, so `trackwright --help` stays quick
    from trackwright.application.container import Container
    from trackwright.application.trackers.stage_runs import StageRuns

DEFAULT_STORE = "sqlite:///mlflow.db"
NOT_FOUND, BAD_USAGE = 1, 2
_HTTP_DEFAULTS = {"MLFLOW_HTTP_REQUEST_TIMEOUT": "10"}  # fail fast on a dead server
_RETRY_VARIABLE = "TRACKWRIGHT_RETRY_ATTEMPTS"
INTERACTIVE_ATTEMPTS = 3
"""A person is waiting: 3 attempts (about 0.6 s of waits) unless the variable says otherwise."""


class NothingFoundError(DomainError):
    """The command ran and found nothing (exit 1)."""


class UsageError(DomainError):
    """The command was asked for something it cannot do as given (exit 2)."""


@dataclass
class Session:
    """One command's view of the store."""

    tracking_uri: str = field(repr=False)
    as_json: bool = False
    creates_store: bool = False
    verbose: bool = False
    _container: Container | None = field(default=None, repr=False)

    @property
    def container(self) -> Container:
        """The container on this store, built on first use.

        Raises:
            TrackingStoreError: A command that only reads was pointed at a store that does
                not exist, or the store cannot be opened.
        """
        if self._container is None:
            from trackwright.application.container import build_container
            from trackwright.application.settings import TrackwrightSettings

            for name, value in _HTTP_DEFAULTS.items():
                os.environ.setdefault(name, value)
            update: dict[str, object] = {"tracking_uri": self.tracking_uri}
            if _RETRY_VARIABLE not in os.environ:
                update["retry_attempts"] = INTERACTIVE_ATTEMPTS
            settings = TrackwrightSettings.from_env().model_copy(update=update)
            if settings.backend == "mlflow":
                from trackwright.adapters.mlflow_store.stores import check_store

                check_store(self.tracking_uri, create=self.creates_store)
            self._container = build_container(settings)
            self._container.tag_policy()  # a broken TRACKWRIGHT_TAGS_FILE fails here
            if not self.verbose:
                logging.getLogger("mlflow").setLevel(logging.ERROR)
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
                f"no experiment named {name!r} in {redacted_uri(self.tracking_uri)}; "
                + self._known_experiments()
            )
        return found.experiment_id

    def _known_experiments(self, shown: int = 10) -> str:
        from trackwright.adapters.mlflow_store import MlflowTracking

        tracking = self.container.backend()
        if not isinstance(tracking, MlflowTracking):
            return "list them with mlflow's own tools"
        names = tracking.active_experiment_names(shown + 1)
        if not names:
            return "it has no experiments"
        more = ", ..." if len(names) > shown else ""
        return "experiments there: " + ", ".join(repr(n) for n in names[:shown]) + more

    def emit(self, payload: Any, human: Callable[[], Iterator[str]]) -> None:
        """Print ``payload`` as JSON with ``--json``, else the human lines."""
        if self.as_json:
            click.echo(json.dumps(payload, indent=2, sort_keys=True, default=str))
        else:
            for line in human():
                click.echo(terminal_safe(line))


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr (control characters escaped), then exit with ``code``."""
    click.echo(f"trackwright: {terminal_safe(message)}", err=True)
    sys.exit(code)


def quiet_library_logs(verbose: bool) -> None:
    """Print library log lines only with ``--verbose``: a failure is one line of its own.

    Without handlers, Python prints WARNING records through its last-resort handler; a
    handler that drops them keeps retry warnings off the terminal.
    """
    root = logging.getLogger()
    # Some MLflow versions (3.5) log their store migrations at INFO through alembic's own
    # stderr handler, whatever the logger levels: without --verbose, no record is emitted.
    logging.disable(logging.NOTSET if verbose else logging.WARNING)
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    elif not root.handlers:
        root.addHandler(logging.NullHandler())


def _first_line(error: BaseException) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        return "; ".join(
            f"setting {'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in error.errors()
        )
    lines = redacted_text(str(error)).splitlines()
    return lines[0] if lines else type(error).__name__


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
        fail(redacted_text(_first_line(exc)), exit_code_of(exc))
