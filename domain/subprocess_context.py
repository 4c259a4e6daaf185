"""The run context a training subprocess receives, as one typed value.

The parent process hands a subprocess everything it needs to create its run without a
lookup: the tracking URI, the experiment id and the parent run. The URI travels only in
``MLFLOW_TRACKING_URI`` (which MLflow reads anyway), the rest in one environment variable
(``TRACKWRIGHT_RUN_CONTEXT``, JSON), plus ``MLFLOW_EXPERIMENT_ID`` for code that uses
MLflow directly. ``MLFLOW_RUN_ID`` is never
set for a child: ``mlflow.start_run`` lets that variable override ``parent_run_id``.
Nothing else from the parent's environment is copied (the original copied all of it,
secrets included, W-8).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trackwright.domain.errors import DomainError
from trackwright.domain.model import RunRef

ENV_VAR = "TRACKWRIGHT_RUN_CONTEXT"


class RunContextError(DomainError):
    """The subprocess run context is missing or malformed."""


class SubprocessRunContext(BaseModel):
    """Where a training subprocess records its run.

    Attributes:
        tracking_uri: The store (as MLflow reads it from ``MLFLOW_TRACKING_URI``).
        experiment_id: The experiment of the parent run.
        parent_run_id: The run to create the child under (None: a standalone run).
        run_id: An existing run the subprocess continues (final training), if any.
        trial_number: The HPO trial, if any.
        fold_idx: The CV fold, if any.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tracking_uri: str = Field(min_length=1, repr=False)
    experiment_id: str = Field(min_length=1)
    parent_run_id: str | None = None
    run_id: str | None = None
    trial_number: int | None = None
    fold_idx: int | None = Field(default=None, ge=0)

    @property
    def parent(self) -> RunRef | None:
        """The parent as a run reference: creating the child needs no lookup."""
        if self.parent_run_id is None:
            return None
        return RunRef(self.parent_run_id, self.experiment_id)

    def to_env(self) -> dict[str, str]:
        """The variables to add to the subprocess environment."""
        return {
            ENV_VAR: self.model_dump_json(exclude_none=True, exclude={"tracking_uri"}),
            "MLFLOW_TRACKING_URI": self.tracking_uri,
            "MLFLOW_EXPERIMENT_ID": self.experiment_id,
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SubprocessRunContext:
        """The context the parent process passed.

        Raises:
            RunContextError: The variable is missing or does not hold a valid context.
        """
        raw = environ.get(ENV_VAR)
        if not raw:
            raise RunContextError(f"{ENV_VAR} is not set; the parent process must pass it")
        try:
            fields = json.loads(raw)
            fields["tracking_uri"] = environ.get("MLFLOW_TRACKING_URI", "")
            return cls.model_validate(fields)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                for e in exc.errors(include_input=False)
            )
            raise RunContextError(f"{ENV_VAR} is not a valid run context ({problems})") from None
        except (ValueError, TypeError) as exc:
            raise RunContextError(f"{ENV_VAR} is not valid JSON: {type(exc).__name__}") from None
