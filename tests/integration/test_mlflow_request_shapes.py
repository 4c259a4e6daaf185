"""Each port call on a live server is exactly one HTTP request, and nothing is printed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.counting_proxy import CountingProxy
from tests.live_server.server import LiveMlflowServer
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.domain.model import Metric, RunStatus

pytestmark = pytest.mark.server
API = "/api/2.0/mlflow"


@pytest.fixture
def proxy(live_server: LiveMlflowServer) -> Iterator[CountingProxy]:
    running = CountingProxy(f"127.0.0.1:{live_server.port}")
    yield running
    running.stop()


def test_a_run_s_life_is_one_request_per_call_and_prints_nothing(
    proxy: CountingProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    tracking = MlflowTracking(proxy.uri)
    experiment_id = tracking.create_experiment("request-shapes")
    proxy.reset()
    run = tracking.create_run(experiment_id, "trial_0", {"code.stage": "hpo", "trial": "0"})
    tracking.log_batch(
        run.run_id,
        tags={"a": "1"},
        params={"learning_rate": "0.1"},
        metrics=[Metric("macro-f1", 0.7), Metric("loss", 0.3)],
    )
    tracking.set_terminated(run.run_id, RunStatus.FINISHED)
    assert proxy.reset() == {
        f"POST {API}/runs/create": 1,
        f"POST {API}/runs/log-batch": 1,
        f"POST {API}/runs/update": 1,
    }
    assert capsys.readouterr().out == ""
    stored = tracking.get_run(run.run_id)
    assert stored.status is RunStatus.FINISHED and stored.end_time is not None
    assert stored.tags["trial"] == "0" and stored.params == {"learning_rate": "0.1"}


def test_ending_a_run_keeps_the_requested_status_and_end_time(proxy: CountingProxy) -> None:
    tracking = MlflowTracking(proxy.uri)
    run = tracking.create_run(tracking.create_experiment("end-time"), "r", {})
    proxy.reset()
    tracking.set_terminated(run.run_id, RunStatus.KILLED, end_time=run.start_time + 5)
    assert proxy.total == 1
    stored = tracking.get_run(run.run_id)
    assert (stored.status, stored.end_time) == (RunStatus.KILLED, run.start_time + 5)
