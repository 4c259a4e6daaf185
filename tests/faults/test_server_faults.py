"""The same faults against the live MLflow server, through a misbehaving loopback proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.proxy import FaultyProxy
from tests.live_server.server import LiveMlflowServer
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.adapters.retrying import RetryingTracking, RetryPolicy
from trackwright.application import Container, TrackwrightSettings, build_container
from trackwright.domain.errors import (
    TrackingRateLimitedError,
    TrackingRetriesExhaustedError,
    TrackingTimeoutError,
    TrackingUnavailableError,
)
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Metric

pytestmark = pytest.mark.server
ATTEMPTS = 4


@pytest.fixture
def proxy(live_server: LiveMlflowServer) -> Iterator[FaultyProxy]:
    running = FaultyProxy(f"127.0.0.1:{live_server.port}")
    yield running
    running.stop()


@pytest.fixture
def direct(live_server: LiveMlflowServer) -> MlflowTracking:
    """The server without the proxy: what was really stored."""
    return MlflowTracking(live_server.uri)


@pytest.fixture
def through_proxy(proxy: FaultyProxy) -> Iterator[Container]:
    settings = TrackwrightSettings(
        backend="mlflow",
        tracking_uri=proxy.uri,
        retry_attempts=ATTEMPTS,
        retry_initial_wait=0,
        retry_max_wait=0,
    )
    container = build_container(settings)
    yield container
    container.unwire()


def _names(direct: MlflowTracking, experiment_id: str) -> list[str]:
    query = RunQuery(experiment_ids=(experiment_id,), lifecycle="all")
    return [r.name for r in direct.search_runs(query).runs]


@pytest.mark.parametrize("kind", ["child", "standalone"])
def test_run_creation_after_a_dropped_response_makes_exactly_one_run_every_time(
    through_proxy: Container,
    proxy: FaultyProxy,
    direct: MlflowTracking,
    unique_name: str,
    kind: str,
) -> None:
    runs = through_proxy.runs()
    parent = runs.create_standalone(unique_name, "sweep")
    for i in range(50):
        proxy.drop_responses(1)
        if kind == "child":
            made = runs.create_child(parent.ref, f"trial_{i}", trial_number=i)
        else:
            made = runs.create_standalone(unique_name, f"trial_{i}")
        assert direct.get_run(made.run_id).name == f"trial_{i}"
    names = _names(direct, parent.experiment_id)
    assert sorted(names) == sorted(["sweep", *(f"trial_{i}" for i in range(50))])
    assert proxy.faults_fired == 50


def test_503_and_429_bursts_shorter_than_the_budget_lose_nothing(
    through_proxy: Container, proxy: FaultyProxy, direct: MlflowTracking, unique_name: str
) -> None:
    tracking = through_proxy.tracking()
    run = through_proxy.runs().create_standalone(unique_name, "r")
    for step in range(6):
        proxy.answer_status(503 if step % 2 else 429, ATTEMPTS - 1)
        tracking.log_batch(
            run.run_id,
            tags={f"t{step}": f'it\'s "{step}"'},
            params={f"p{step}": str(step)},
            metrics=[Metric("loss", 1.0 / (step + 1), step=step), Metric(f"m{step}", step)],
        )
    stored = direct.get_run(run.run_id)
    assert {k: v for k, v in stored.tags.items() if k.startswith("t")} == {
        f"t{i}": f'it\'s "{i}"' for i in range(6)
    }
    assert dict(stored.params) == {f"p{i}": str(i) for i in range(6)}
    assert stored.metrics == {"loss": 1.0 / 6, **{f"m{i}": float(i) for i in range(6)}}


@pytest.mark.parametrize(
    ("status", "cause"), [(503, TrackingUnavailableError), (429, TrackingRateLimitedError)]
)
def test_beyond_the_budget_the_caller_gets_a_tracking_error_naming_the_operation(
    through_proxy: Container, proxy: FaultyProxy, unique_name: str, status: int, cause: type
) -> None:
    run = through_proxy.runs().create_standalone(unique_name, "r")
    proxy.answer_status(status, ATTEMPTS)
    with pytest.raises(TrackingRetriesExhaustedError) as info:
        through_proxy.tracking().log_batch(run.run_id, params={"p": "1"})
    assert info.value.operation == "log_batch" and info.value.attempts == ATTEMPTS
    assert type(info.value.__cause__) is cause
    assert f"HTTP {status}" in str(info.value)


def test_refused_connections_beyond_the_budget_are_a_tracking_error(
    through_proxy: Container, proxy: FaultyProxy, direct: MlflowTracking, unique_name: str
) -> None:
    experiment_id = direct.create_experiment(unique_name)
    proxy.refuse_connections()
    with pytest.raises(TrackingRetriesExhaustedError) as info:
        through_proxy.tracking().create_run(experiment_id, "r", {})
    assert info.value.operation == "create_run"
    assert type(info.value.__cause__) is TrackingUnavailableError
    assert _names(direct, experiment_id) == []


def test_a_server_that_comes_back_within_the_budget_is_reached(
    proxy: FaultyProxy, direct: MlflowTracking, unique_name: str
) -> None:
    experiment_id = direct.create_experiment(unique_name)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:
            proxy.accept_connections()

    tracking = RetryingTracking(MlflowTracking(proxy.uri), RetryPolicy(initial_wait=0, sleep=sleep))
    proxy.refuse_connections()
    run = tracking.create_run(experiment_id, "r", {"k": "v"})
    assert len(slept) == 2 and _names(direct, experiment_id) == ["r"]
    assert direct.get_run(run.run_id).tags["k"] == "v"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("503", TrackingUnavailableError),
        ("429", TrackingRateLimitedError),
        ("drop", TrackingTimeoutError),
        ("refuse", TrackingUnavailableError),
    ],
)
def test_the_mlflow_adapter_translates_http_failures(
    proxy: FaultyProxy, unique_name: str, fault: str, error: type
) -> None:
    tracking = MlflowTracking(proxy.uri)
    if fault == "drop":
        proxy.drop_responses(1)
    elif fault == "refuse":
        proxy.refuse_connections()
    else:
        proxy.answer_status(int(fault))
    with pytest.raises(TrackingUnavailableError) as info:
        tracking.create_experiment(unique_name)
    assert type(info.value) is error and info.value.operation == "create_experiment"
