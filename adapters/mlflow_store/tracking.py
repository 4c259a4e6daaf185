"""``MlflowTracking``: the tracking port over one ``MlflowClient``."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric as MlflowMetric
from mlflow.entities import Param, RunTag
from mlflow.entities import RunStatus as MlflowRunStatus

from trackwright.adapters.mlflow_store.errors import translating
from trackwright.adapters.mlflow_store.filters import CompiledQuery
from trackwright.adapters.mlflow_store.http_retries import scope_http_retries
from trackwright.adapters.mlflow_store.run_pages import search_pages, to_run
from trackwright.adapters.mlflow_store.stores import check_store, opening_store
from trackwright.domain.finding.query import RunPage, RunQuery
from trackwright.domain.model import Experiment, LifecycleStage, Metric, Run, RunStatus
from trackwright.domain.uris import redacted_uri
from trackwright.domain.values import check_text_values, metric_value

logger = logging.getLogger(__name__)
DEFAULT_PAGE_SIZE = 1000


class MlflowTracking:
    """The tracking port over MLflow (any store ``MlflowClient`` supports).

    Args:
        tracking_uri: The store; None uses MLflow's own default resolution
            (``MLFLOW_TRACKING_URI``, else ``sqlite:///mlflow.db`` in MLflow 3).
        page_size: Runs asked for per search request while paging.
        create_store: Whether a local store that does not exist yet may be created
            (False for tools that only read: a mistyped path is then an error).

    Raises:
        TrackingStoreError: A local store cannot be opened (checked before MLflow's
            own engine retries, so in milliseconds), or does not exist and
            ``create_store`` is False.
    """

    def __init__(
        self,
        tracking_uri: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        *,
        create_store: bool = True,
    ) -> None:
        scope_http_retries()
        uri = tracking_uri or mlflow.get_tracking_uri()
        check_store(uri, create=create_store)  # before MlflowClient, which opens the store
        with opening_store():
            self._client = MlflowClient(tracking_uri=uri)
            self._uri = str(self._client.tracking_uri)
        self._page_size = page_size
        logger.debug("MLflow tracking adapter on %s", redacted_uri(self._uri))

    @property
    def client(self) -> MlflowClient:
        """The one ``MlflowClient`` this adapter talks through."""
        return self._client

    @property
    def tracking_uri(self) -> str:
        """The store's URI with any credentials removed."""
        return redacted_uri(self._uri)

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """See ``TrackingPort.get_experiment_by_name``."""
        with translating("get_experiment_by_name"):
            found = self._client.get_experiment_by_name(name)
        if found is None:
            return None
        return Experiment(
            str(found.experiment_id),
            found.name,
            LifecycleStage(found.lifecycle_stage),
            MappingProxyType(dict(found.tags)),
        )

    def active_experiment_names(self, limit: int) -> list[str]:
        """Up to ``limit`` names of active experiments (for "did you mean" messages)."""
        with translating("search_experiments"):
            found = self._client.search_experiments(max_results=limit)
        return [e.name for e in found]

    def create_experiment(self, name: str) -> str:
        """See ``TrackingPort.create_experiment``."""
        with translating("create_experiment"):
            return str(self._client.create_experiment(name))

    def delete_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort.delete_experiment``."""
        with translating("delete_experiment"):
            self._client.delete_experiment(experiment_id)

    def restore_experiment(self, experiment_id: str) -> None:
        """See ``TrackingPort.restore_experiment``."""
        with translating("restore_experiment"):
            self._client.restore_experiment(experiment_id)

    def create_run(
        self,
        experiment_id: str,
        run_name: str,
        tags: Mapping[str, str],
        start_time: int | None = None,
    ) -> Run:
        """See ``TrackingPort.create_run`` (one request, tags included)."""
        check_text_values("tag", tags, "create_run")
        with translating("create_run"):
            created = self._client.create_run(
                experiment_id, start_time=start_time, tags=dict(tags), run_name=run_name
            )
        return to_run(created)

    def get_run(self, run_id: str) -> Run:
        """See ``TrackingPort.get_run``."""
        with translating("get_run"):
            return to_run(self._client.get_run(run_id))

    def log_batch(
        self,
        run_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        metrics: Sequence[Metric] = (),
    ) -> None:
        """See ``TrackingPort.log_batch`` (one request)."""
        check_text_values("param", params or {}, "log_batch")
        check_text_values("tag", tags or {}, "log_batch")
        values = [metric_value(m.key, m.value) for m in metrics]
        now = _now_ms()
        with translating("log_batch"):
            self._client.log_batch(
                run_id,
                metrics=[
                    MlflowMetric(
                        m.key, value, m.timestamp if m.timestamp is not None else now, m.step
                    )
                    for m, value in zip(metrics, values, strict=True)
                ],
                params=[Param(k, v) for k, v in (params or {}).items()],
                tags=[RunTag(k, v) for k, v in (tags or {}).items()],
            )

    def set_terminated(self, run_id: str, status: RunStatus, end_time: int | None = None) -> None:
        """See ``TrackingPort.set_terminated`` (one ``UpdateRun`` request, nothing printed).

        ``MlflowClient.set_terminated`` first GETs the run on a REST store only to print a
        "View run" link to stdout: one extra request and two output lines per run. The
        store's ``update_run_info`` is the request it then makes, so it is called directly.
        """
        ended = end_time if end_time is not None else _now_ms()
        with translating("set_terminated"):
            self._client._tracking_client.store.update_run_info(
                run_id,
                run_status=MlflowRunStatus.from_string(RunStatus(status).value),
                end_time=ended,
                run_name=None,
            )

    def delete_run(self, run_id: str) -> None:
        """See ``TrackingPort.delete_run``."""
        with translating("delete_run"):
            self._client.delete_run(run_id)

    def search_runs(self, query: RunQuery) -> RunPage:
        """See ``TrackingPort.search_runs``: pages until ``max_results`` or the last match."""

        def fetch(compiled: CompiledQuery, token: str | None, size: int) -> Any:
            with translating("search_runs"):
                return self._client.search_runs(
                    experiment_ids=list(query.experiment_ids),
                    filter_string=compiled.filter_string,
                    run_view_type=compiled.view_type,
                    max_results=size,
                    order_by=compiled.order_by or None,
                    page_token=token,
                )

        return search_pages(query, self._page_size, fetch)


def _now_ms() -> int:

    return time.time_ns() // 1_000_000
