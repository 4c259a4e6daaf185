"""Who retries HTTP calls to an MLflow server: MLflow's REST client, or trackwright.

MLflow's REST client repeats a request itself on 408, 429 and 5xx answers and on
connection and read errors, for every HTTP method, ``MLFLOW_HTTP_REQUEST_MAX_RETRIES``
times (default 7) with backoff factor ``MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR`` (default 2):
up to about four minutes per call. It also re-sends a ``create_run`` whose answer was
lost, which makes a second run that no wrapper above MLflow can take back.

trackwright's ``RetryingTracking`` knows which calls are safe to repeat and looks a run
up before creating it again, so it should be the only one retrying:
``leave_http_retries_to_trackwright`` sets ``MLFLOW_HTTP_REQUEST_MAX_RETRIES=0`` for this
process unless the environment already sets it. If you set it yourself, the attempts
multiply (MLflow's retries + 1, times trackwright's attempts) and a lost ``create_run``
answer can duplicate a run; a warning says so.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)
MAX_RETRIES_VARIABLE = "MLFLOW_HTTP_REQUEST_MAX_RETRIES"


def leave_http_retries_to_trackwright() -> None:
    """Turn MLflow's own HTTP retries off for this process, unless the user set them."""
    chosen = os.environ.setdefault(MAX_RETRIES_VARIABLE, "0")
    if chosen.strip() not in ("", "0"):
        logger.warning(
            "%s=%s: MLflow retries HTTP calls itself, on top of trackwright's retries; "
            "a create_run whose answer is lost may then leave a duplicate run",
            MAX_RETRIES_VARIABLE,
            chosen,
        )
