"""The MLflow adapter on real stores: paging past 1000, process races, default URI, outages."""

from __future__ import annotations

import multiprocessing
import socket
from pathlib import Path

import pytest

from trackwright.domain.errors import TrackingUnavailableError
from trackwright.domain.finding.query import RunQuery

pytestmark = pytest.mark.sqlite


def test_search_pages_past_1000_results(sqlite_uri: str) -> None:
    from mlflow import MlflowClient

    from trackwright.adapters.mlflow_store import MlflowTracking

    client = MlflowClient(sqlite_uri)
    experiment_id = client.create_experiment("many")
    for i in range(1030):
        client.create_run(experiment_id, run_name=f"r{i}", tags={"k": "v"}, start_time=i + 1)
    page = MlflowTracking(sqlite_uri).search_runs(
        RunQuery(experiment_ids=(experiment_id,), tags={"k": "v"})
    )
    assert len(page.runs) == 1030 and page.next_page_token is None
    assert len({r.run_id for r in page.runs}) == 1030
    assert [r.start_time for r in page.runs[:3]] == [1030, 1029, 1028]


def test_small_pages_are_stitched_in_order(sqlite_uri: str) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    tracking = MlflowTracking(sqlite_uri, page_size=4)
    experiment_id = tracking.create_experiment("paged")
    created = [tracking.create_run(experiment_id, f"r{i}", {}, start_time=i + 1) for i in range(11)]
    page = tracking.search_runs(RunQuery(experiment_ids=(experiment_id,), max_results=9))
    assert [r.run_id for r in page.runs] == [r.run_id for r in reversed(created)][:9]
    assert page.next_page_token is not None
    rest = tracking.search_runs(
        RunQuery(experiment_ids=(experiment_id,), page_token=page.next_page_token)
    )
    assert [r.run_id for r in rest.runs] == [created[1].run_id, created[0].run_id]


def _get_or_create(uri: str, name: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from trackwright.adapters.mlflow_store import MlflowTracking
    from trackwright.domain.experiment_resolution import ExperimentDirectory

    try:
        queue.put(ExperimentDirectory(MlflowTracking(uri)).get_or_create(name))
    except Exception as exc:
        queue.put(f"error: {type(exc).__name__}: {exc}")


def test_processes_racing_to_create_one_experiment_share_its_id(sqlite_uri: str) -> None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_get_or_create, args=(sqlite_uri, "raced", queue)) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    from mlflow import MlflowClient

    experiment = MlflowClient(sqlite_uri).get_experiment_by_name("raced")
    assert experiment is not None
    assert results == [experiment.experiment_id] * 4


def test_default_uri_is_mlflows_own_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    import mlflow

    tracking = MlflowTracking()
    # sqlite:///mlflow.db on the newest MLflow; a ./mlruns file store on MLflow 3.5
    assert tracking.tracking_uri == mlflow.get_tracking_uri()


def test_an_unreachable_server_is_a_tracking_unavailable_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from trackwright.adapters.mlflow_store import MlflowTracking

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    tracking = MlflowTracking(f"http://user:pw@127.0.0.1:{port}")
    with pytest.raises(TrackingUnavailableError) as info:
        tracking.get_experiment_by_name("x")
    assert info.value.operation == "get_experiment_by_name"
    assert "pw" not in str(info.value) and "pw" not in tracking.tracking_uri


def test_errors_and_their_tracebacks_never_show_uri_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import traceback

    from trackwright.adapters.mlflow_store import MlflowTracking
    from trackwright.domain.errors import TrackingError

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    tracking = MlflowTracking("http://alice:s3cret@127.0.0.1:99999")
    with pytest.raises(TrackingError) as info:
        tracking.get_experiment_by_name("x")
    shown = "".join(traceback.format_exception(info.value))
    assert "s3cret" not in shown and "alice" not in shown
