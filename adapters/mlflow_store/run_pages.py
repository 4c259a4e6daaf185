"""MLflow runs as domain runs, and paging a search across MLflow's pages.

A ``RunQuery`` may hold conditions MLflow's filter language cannot say (compiled as
client-side tag checks), so one domain page can span several MLflow pages, and a page may
end inside an MLflow page: the domain page token carries the server's token and how many
runs of that page were already seen.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from mlflow.entities import Run as MlflowRun

from trackwright.adapters.mlflow_store.filters import CompiledQuery, compile_query
from trackwright.domain.errors import TrackingInvalidValueError
from trackwright.domain.finding.query import RunPage, RunQuery
from trackwright.domain.model import LifecycleStage, Run, RunStatus

FetchPage = Callable[[CompiledQuery, "str | None", int], Any]
"""(compiled query, server page token, page size) -> one MLflow page of runs."""


def to_run(run: MlflowRun) -> Run:
    """The domain ``Run`` of an MLflow run (read-only mappings)."""
    info, data = run.info, run.data
    return Run(
        run_id=info.run_id,
        experiment_id=str(info.experiment_id),
        name=info.run_name or "",
        status=RunStatus(info.status),
        start_time=int(info.start_time or 0),
        end_time=int(info.end_time) if info.end_time is not None else None,
        lifecycle_stage=LifecycleStage(info.lifecycle_stage),
        tags=MappingProxyType(dict(data.tags)),
        params=MappingProxyType(dict(data.params)),
        metrics=MappingProxyType({k: float(v) for k, v in data.metrics.items()}),
    )


def search_pages(query: RunQuery, page_size: int, fetch: FetchPage) -> RunPage:
    """One domain page of ``query``: pages until ``max_results`` or the last match."""
    compiled = compile_query(query)
    server_token, skip = _decode_token(query.page_token)
    wanted = query.max_results
    found: list[Run] = []
    while True:
        size = page_size
        if wanted is not None and not compiled.client_side_tags:
            size = min(size, wanted - len(found))
        page = fetch(compiled, server_token, size)
        for index, raw in enumerate(page[skip:], start=skip):
            if not _matches_client_side(raw, compiled):
                continue
            if wanted is not None and len(found) == wanted:
                return RunPage(tuple(found), _encode_token(server_token, index))
            found.append(to_run(raw))
        skip = 0
        next_token = _text(page.token)
        if not next_token:
            return RunPage(tuple(found))
        if wanted is not None and len(found) == wanted:
            return RunPage(tuple(found), _encode_token(next_token, 0))
        server_token = next_token


def _encode_token(server_token: str | None, skip: int) -> str:
    return base64.b64encode(json.dumps({"t": server_token, "s": skip}).encode()).decode()


def _decode_token(token: str | None) -> tuple[str | None, int]:
    if token is None:
        return None, 0
    try:
        decoded = json.loads(base64.b64decode(token.encode()))
        return decoded["t"], int(decoded["s"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise TrackingInvalidValueError(
            f"Invalid page token {token!r}", operation="search_runs"
        ) from exc


def _matches_client_side(run: MlflowRun, compiled: CompiledQuery) -> bool:
    tags = run.data.tags
    return all(tags.get(k) == v for k, v in compiled.client_side_tags.items())


def _text(token: str | bytes | None) -> str | None:
    """MLflow's SQL store returns page tokens as bytes, its REST client as str."""
    return token.decode() if isinstance(token, bytes) else token
