"""A server that disappears mid-sweep: the worker's runs expire by lease, never half-ended."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.distributed.workers import runs_of, tracker
from tests.faults.proxy import FaultyProxy
from tests.live_server.postgres import PostgresMlflowServer
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.application import Container, TrackwrightSettings, build_container
from trackwright.domain.errors import TrackingUnavailableError
from trackwright.domain.model import Metric, RunStatus

pytestmark = pytest.mark.postgres
STUDY = "d4" * 32


def _worker(uri: str, name: str, tmp: str) -> Container:
    settings = TrackwrightSettings(
        tracking_uri=uri,
        run_index_file=f"{tmp}/{name}.db",
        retry_attempts=1,
        heartbeat_interval=0.2,
        grace_period=1.0,
        sweep_settle_seconds=0.2,
    )
    return build_container(settings)


@pytest.fixture
def proxy(postgres_server: PostgresMlflowServer) -> Iterator[FaultyProxy]:
    faulty = FaultyProxy(postgres_server.uri.removeprefix("http://"), lifetime=120)
    yield faulty
    faulty.stop()


def test_runs_of_a_worker_that_lost_the_server_expire_by_lease_and_are_never_half_ended(
    postgres_server: PostgresMlflowServer, proxy: FaultyProxy, tmp_path: object, unique_name: str
) -> None:
    lost = _worker(f"http://127.0.0.1:{proxy.port}", "lost", str(tmp_path))
    experiment_id = lost.experiments().get_or_create(unique_name)
    with pytest.raises(TrackingUnavailableError):  # noqa: SIM117
        with tracker(lost, experiment_id).sweep(STUDY) as sweep, sweep.trial(0, {"lr": 1}) as t:
            with t.fold(0) as fold:
                proxy.refuse_connections()
                lost.tracking().log_batch(fold.run_id, metrics=[Metric("f1", 0.5)])
    assert not lost.stage_runs().lease.heartbeat_running
    proxy.accept_connections()
    direct = MlflowTracking(postgres_server.uri)
    left = {r.run_id: r for kind in ("trial", "fold") for r in runs_of(direct, experiment_id, kind)}
    assert {r.status for r in left.values()} == {RunStatus.RUNNING}
    assert not any("code.interrupted" in r.tags for r in left.values())
    time.sleep(1.5)  # the lost worker's lease expires
    survivor = _worker(postgres_server.uri, "survivor", str(tmp_path))
    with tracker(survivor, experiment_id).sweep(STUDY) as again:
        assert again.run_id == sweep.run_id
    for run_id in left:
        run = direct.get_run(run_id)
        assert run.status is RunStatus.KILLED
        assert run.tags["code.interrupted"] == "true"
        assert run.tags["code.trial.state"] == "interrupted"
    assert direct.get_run(sweep.run_id).status is RunStatus.FINISHED
