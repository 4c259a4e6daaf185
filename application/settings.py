"""Validated settings that feed the DI container."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trackwright.domain.distributed.convergence import DEFAULT_PARAMS_DELAY, DEFAULT_SETTLE_SECONDS
from trackwright.domain.distributed.leases import (
    DEFAULT_GRACE_PERIOD,
    DEFAULT_HEARTBEAT_INTERVAL,
    LeaseSettings,
)


class TrackwrightSettings(BaseModel):
    """How the container is wired.

    Attributes:
        tracking_uri: The tracking store; None leaves the choice to MLflow's own default
            resolution (``MLFLOW_TRACKING_URI``, else ``sqlite:///mlflow.db``).
        backend: The name of an installed backend (entry-point group
            ``trackwright.backends``): ``mlflow`` for a real store, ``memory`` for the
            in-memory fake, or a third-party one (docs/adding-a-backend.md).
        tags_file: A ``tags.yaml`` whose entries override the built-in tag keys.
        run_index_file: The local run index (a sqlite3 file); None means
            ``.trackwright/run_index.sqlite3`` under the current folder. The memory backend
            keeps its index in memory instead.
        retry_attempts: Attempts per tracking call, the first included (1: no retry).
        retry_initial_wait: Seconds before the first retry; doubles each retry, plus jitter.
        retry_max_wait: Longest wait between two attempts, in seconds.
        run_name_versions: Append ``_N`` to sweep, trial, refit and benchmark names that
            would otherwise repeat (off by default; env ``TRACKWRIGHT_RUN_NAME_VERSIONS``).
        run_name_counter_file: The version counter (a sqlite3 file); None means
            ``.trackwright/run_name_counter.sqlite3`` under the current folder.
        heartbeat_interval: Seconds between a worker's heartbeats (default 30; env
            ``TRACKWRIGHT_HEARTBEAT_INTERVAL``); one request each, however many runs.
        grace_period: Seconds of heartbeat silence after which a worker's RUNNING runs are
            abandoned (default 120; env ``TRACKWRIGHT_GRACE_PERIOD``). Checked by
            ``lease_settings()``: both positive, interval shorter than grace.
        sweep_settle_seconds: How long a worker that created a sweep run waits before
            checking it is the one all workers keep (default 1; env
            ``TRACKWRIGHT_SWEEP_SETTLE``); waited only when another worker holds a lease
            in the experiment.
        trial_params_delay: A trial's params are written with its next batch (its metrics,
            its end), or at the latest this many seconds after they were given (default 1;
            env ``TRACKWRIGHT_TRIAL_PARAMS_DELAY``; 0: at once). A long trial shows its
            params while it runs; a short one costs no request for them alone.
    """

    model_config = ConfigDict(frozen=True)

    tracking_uri: str | None = Field(default=None, repr=False)
    backend: str = "mlflow"
    tags_file: Path | None = None
    run_index_file: Path | None = None
    retry_attempts: int = Field(default=5, ge=1)
    retry_initial_wait: float = Field(default=0.2, ge=0)
    retry_max_wait: float = Field(default=5.0, ge=0)
    run_name_versions: bool = False
    run_name_counter_file: Path | None = None
    heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL
    grace_period: float = DEFAULT_GRACE_PERIOD
    sweep_settle_seconds: float = DEFAULT_SETTLE_SECONDS
    trial_params_delay: float = Field(default=DEFAULT_PARAMS_DELAY, ge=0, allow_inf_nan=False)

    def lease_settings(self) -> LeaseSettings:
        """The heartbeat interval and grace period, checked.

        Raises:
            LeaseSettingsError: A value is not positive, or the interval is not shorter
                than the grace period.
        """
        return LeaseSettings(self.heartbeat_interval, self.grace_period)

    @field_validator("backend")
    @classmethod
    def _backend_is_installed(cls, value: str) -> str:
        from trackwright.application.backends import find_backend

        find_backend(value)
        return value

    @field_validator("tracking_uri")
    @classmethod
    def _blank_means_default(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TrackwrightSettings:
        """Read settings from the environment.

        Variables: ``MLFLOW_TRACKING_URI``, ``TRACKWRIGHT_BACKEND``, ``TRACKWRIGHT_TAGS_FILE``.
        ``TRACKWRIGHT_RUN_INDEX`` names the local run index file.
        ``TRACKWRIGHT_RETRY_ATTEMPTS``, ``TRACKWRIGHT_RETRY_INITIAL_WAIT`` and
        ``TRACKWRIGHT_RETRY_MAX_WAIT`` tune the retries of tracking calls.
        ``TRACKWRIGHT_RUN_NAME_VERSIONS`` and ``TRACKWRIGHT_RUN_NAME_COUNTER`` turn on and
        place the run-name version counter. ``TRACKWRIGHT_HEARTBEAT_INTERVAL``,
        ``TRACKWRIGHT_GRACE_PERIOD``, ``TRACKWRIGHT_SWEEP_SETTLE`` and
        ``TRACKWRIGHT_TRIAL_PARAMS_DELAY`` tune leases, sweeps and trials.
        """
        env = os.environ if environ is None else environ
        return cls.model_validate(
            {
                "tracking_uri": env.get("MLFLOW_TRACKING_URI"),
                "backend": env.get("TRACKWRIGHT_BACKEND", "mlflow"),
                "tags_file": env.get("TRACKWRIGHT_TAGS_FILE"),
                "run_index_file": env.get("TRACKWRIGHT_RUN_INDEX"),
                "retry_attempts": env.get("TRACKWRIGHT_RETRY_ATTEMPTS", 5),
                "retry_initial_wait": env.get("TRACKWRIGHT_RETRY_INITIAL_WAIT", 0.2),
                "retry_max_wait": env.get("TRACKWRIGHT_RETRY_MAX_WAIT", 5.0),
                "run_name_versions": env.get("TRACKWRIGHT_RUN_NAME_VERSIONS", False),
                "run_name_counter_file": env.get("TRACKWRIGHT_RUN_NAME_COUNTER"),
                "heartbeat_interval": env.get(
                    "TRACKWRIGHT_HEARTBEAT_INTERVAL", DEFAULT_HEARTBEAT_INTERVAL
                ),
                "grace_period": env.get("TRACKWRIGHT_GRACE_PERIOD", DEFAULT_GRACE_PERIOD),
                "sweep_settle_seconds": env.get("TRACKWRIGHT_SWEEP_SETTLE", DEFAULT_SETTLE_SECONDS),
                "trial_params_delay": env.get(
                    "TRACKWRIGHT_TRIAL_PARAMS_DELAY", DEFAULT_PARAMS_DELAY
                ),
            }
        )
