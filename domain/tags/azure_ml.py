"""The Azure ML rule, in one place: ``azureml.*`` tags only on an Azure ML tracking URI.

On an ``azureml://`` workspace, Azure ML's UI groups runs by ``azureml.runType``: sweeps and
refits carry theirs by kind of run, trial and fold runs theirs as child runs (with
``azureml.trial``), and a sweep also ``azureml.sweep``. Anywhere else none of these tags is
written (the original wrote them on every store, W-29 in docs/weaknesses.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from trackwright.domain.model import RunKind
from trackwright.domain.tags.keys import TagKeyRegistry

AZUREML_RUN_TYPE = {RunKind.SWEEP: "sweep", RunKind.REFIT: "refit"}
"""Azure ML run types the kind of run decides; trial and fold runs are marked as child runs."""


def is_azure_ml_uri(tracking_uri: str | None) -> bool:
    """Whether the tracking URI is an Azure ML workspace (its scheme is ``azureml``).

    Only the scheme counts: a local path that merely contains "azureml" (a checkout named
    ``resume-ner-azureml``) is not Azure ML (the original tested a substring, W-2).
    """
    return bool(tracking_uri) and urlsplit(str(tracking_uri)).scheme.lower() == "azureml"


def azure_ml_kind_tags(registry: TagKeyRegistry, kind: RunKind) -> dict[str, str]:
    """The ``azureml.*`` tags of a sweep or refit run (empty for other kinds)."""
    if kind not in AZUREML_RUN_TYPE:
        return {}
    tags = {registry.key("azureml", "run_type"): AZUREML_RUN_TYPE[kind]}
    if kind is RunKind.SWEEP:
        tags[registry.key("azureml", "sweep")] = "true"
    return tags


def azure_ml_child_run_tags(registry: TagKeyRegistry) -> dict[str, str]:
    """The ``azureml.*`` tags of a child run (trial, fold or training child)."""
    return {
        registry.key("azureml", "run_type"): "trial",
        registry.key("run", "azureml_trial"): "true",
    }
