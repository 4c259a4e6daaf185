"""Where a person can look at a run: an MLflow UI link, an Azure ML studio link, or a hint.

Credentials in a tracking URI never reach a link or a hint. The original turned an
``azureml://`` URI into its regional API host (not a page, W-35) and built non-navigable
strings for sqlite and file stores. Ids are checked (the shape of an MLflow or Azure ML
id) and percent-quoted in links; the store in a hint is shell-quoted, so a pasted hint
runs exactly ``mlflow ui`` on that store.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from trackwright.domain.errors import InvalidExperimentIdError, InvalidRunIdError
from trackwright.domain.model import looks_like_run_id
from trackwright.domain.tags.azure_ml import is_azure_ml_uri

STUDIO = "https://ml.azure.com"
_WORKSPACE = re.compile(
    r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/.*?/workspaces/(?P<ws>[^/?#]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RunLocation:
    """A link to open, or (for local stores) the command that serves one."""

    url: str | None
    hint: str | None = None

    def __str__(self) -> str:
        return self.url or self.hint or ""


def without_credentials(uri: str) -> str:
    """The URI with any ``user:password@`` removed entirely."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _studio_link(uri: str, experiment_id: str, run_id: str) -> str | None:
    match = _WORKSPACE.search(urlsplit(uri).path)
    if match is None:
        return None
    wsid = (
        f"/subscriptions/{match['sub']}/resourcegroups/{match['rg']}"
        f"/providers/Microsoft.MachineLearningServices/workspaces/{match['ws']}"
    )
    return f"{STUDIO}/experiments/id/{experiment_id}/runs/{run_id}?wsid={wsid}"


def checked_ids(experiment_id: object, run_id: object) -> tuple[str, str]:
    """Both ids, percent-quoted for a URL path.

    Raises:
        InvalidExperimentIdError: ``experiment_id`` is not an id (letters, digits, ``_-``).
        InvalidRunIdError: ``run_id`` is not a run id.
    """
    if not looks_like_run_id(experiment_id):
        raise InvalidExperimentIdError(f"{experiment_id!r} is not an experiment id")
    if not looks_like_run_id(run_id):
        raise InvalidRunIdError(f"{run_id!r} is not a run id")
    return quote(str(experiment_id), safe=""), quote(str(run_id), safe="")


def run_location(tracking_uri: str, experiment_id: str, run_id: str) -> RunLocation:
    """The best way to look at run ``run_id`` of experiment ``experiment_id``.

    Raises:
        InvalidExperimentIdError: ``experiment_id`` is not an experiment id.
        InvalidRunIdError: ``run_id`` is not a run id.
    """
    experiment_id, run_id = checked_ids(experiment_id, run_id)
    clean = without_credentials(tracking_uri)
    scheme = urlsplit(clean).scheme.lower()
    if is_azure_ml_uri(clean):
        link = _studio_link(clean, experiment_id, run_id)
        return RunLocation(link, None if link else f"open the run {run_id} in Azure ML studio")
    if scheme in ("http", "https"):
        return RunLocation(f"{clean.rstrip('/')}/#/experiments/{experiment_id}/runs/{run_id}")
    fragment = f"http://127.0.0.1:5000/#/experiments/{experiment_id}/runs/{run_id}"
    command = f"mlflow ui --backend-store-uri {shlex.quote(clean)}"
    return RunLocation(None, f"{command}  then open {fragment}")
