"""MLflow's server-side checks, reproduced so the fake accepts and refuses what MLflow does."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping, Sequence

from trackwright.domain.errors import TrackingInvalidValueError, TrackingNotFoundError
from trackwright.domain.model import Metric
from trackwright.domain.tags.rules import key_violations
from trackwright.domain.values import check_text_values, metric_value

MAX_PARAM_VALUE_LENGTH = 6000
MAX_TAG_VALUE_LENGTH = 8000
MAX_EXPERIMENT_NAME_LENGTH = 500
_RUN_ID = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")


def invalid(operation: str, message: str) -> TrackingInvalidValueError:
    """An INVALID_PARAMETER_VALUE answer."""
    return TrackingInvalidValueError(message, operation=operation)


def check_run_id(operation: str, run_id: str) -> None:
    """MLflow answers INVALID_PARAMETER_VALUE for ids that cannot be run ids."""
    if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
        raise invalid(operation, f"Invalid value {run_id!r} for parameter 'run_id'")


def check_experiment_name(name: object) -> str:
    """MLflow's experiment-name rule: a non-empty string of at most 500 characters."""
    if not isinstance(name, str) or name == "":
        raise invalid("create_experiment", f"Invalid experiment name: {name!r}")
    if len(name) > MAX_EXPERIMENT_NAME_LENGTH:
        raise invalid("create_experiment", "experiment name exceeds the maximum length of 500")
    return name


def experiment_not_found(operation: str, experiment_id: str) -> TrackingNotFoundError:
    """A RESOURCE_DOES_NOT_EXIST answer for an experiment."""
    return TrackingNotFoundError(
        f"No Experiment with id={experiment_id} exists", operation=operation
    )


def check_batch(
    tags: Mapping[str, str], params: Mapping[str, str], metrics: Sequence[Metric]
) -> tuple[dict[str, str], dict[str, str]]:
    """Validate a log_batch request; returns tags and params with MLflow's truncation applied.

    MLflow (with its default ``MLFLOW_TRUNCATE_LONG_VALUES``) truncates tag values over 8000
    and param values over 6000 characters in ``log_batch``; keys are never truncated.
    ``MlflowClient.log_batch`` splits large batches into requests within the server's
    limits, so the port has no batch-size limit.
    """
    op = "log_batch"
    for metric in metrics:
        _check_key(op, metric.key)
        metric_value(metric.key, metric.value, op)
    for key in (*params, *tags):
        _check_key(op, key)
    check_text_values("param", params, op)
    check_text_values("tag", tags, op)
    clean_tags = {k: v[:MAX_TAG_VALUE_LENGTH] for k, v in tags.items()}
    clean_params = {k: v[:MAX_PARAM_VALUE_LENGTH] for k, v in params.items()}
    return clean_tags, clean_params


def _check_key(operation: str, key: str) -> None:
    problems = key_violations(key)
    if problems:
        raise invalid(operation, problems[0])


def stored_metric_value(value: object) -> float:
    """The float MLflow stores (``domain.values``); +/-inf as the largest finite float."""
    number = metric_value("metric", value)
    if math.isinf(number):
        return math.copysign(sys.float_info.max, number)
    return number


def metric_rank(value: float | None) -> int:
    """MLflow's sort rank: numbers first, then NaN, then missing."""
    if value is None:
        return 2
    return 1 if math.isnan(value) else 0
