"""Requests a sweep does not need: no settle wait alone, no lone params batch (fake)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.distributed.workers import (
    STUDY,
    heartbeat_threads,
    runs_of,
    shared_fake,
    tracker,
    worker,
)
from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import TrackwrightSettings
from trackwright.domain.errors import TrackingUnavailableError
from trackwright.domain.finding.query import RunPage, RunQuery
from trackwright.domain.model import RunStatus

SLOW_SETTLE = 3.0


def test_a_lone_creator_keeps_its_sweep_at_once_already_listed_as_a_member() -> None:
    fake, experiment_id = shared_fake()
    container = worker(fake, sweep_settle_seconds=SLOW_SETTLE)
    fake.reset_calls()
    started = time.monotonic()
    with tracker(container, experiment_id).sweep(STUDY) as sweep:
        opened = time.monotonic() - started
        calls = dict(fake.calls)
        lease = container.stage_runs().lease
        member = fake.get_run(sweep.run_id).tags[f"code.sweep.worker.{lease.worker_id}"]
        assert member == lease.lease_run_id
    assert opened < SLOW_SETTLE / 2
    # lease run and sweep run; sweep searches before and after the lease; one lease search
    assert calls == {"create_run": 2, "search_runs": 3}
    assert fake.get_run(sweep.run_id).status is RunStatus.FINISHED
    assert heartbeat_threads() == []


def test_a_creator_that_sees_another_workers_lease_waits_the_settle_window() -> None:
    fake, experiment_id = shared_fake()
    other = worker(fake)
    other.stage_runs().lease.hold(experiment_id)  # another worker, busy in this experiment
    try:
        started = time.monotonic()
        with tracker(worker(fake, sweep_settle_seconds=0.4), experiment_id).sweep(STUDY):
            assert time.monotonic() - started >= 0.4
    finally:
        other.stage_runs().lease.release()
    assert len(runs_of(fake, experiment_id, "sweep")) == 1


class SlowSearches(InMemoryTracking):
    """A fake whose search answers take as long as a server's to arrive: threads interleave."""

    def search_runs(self, query: RunQuery) -> RunPage:
        page = super().search_runs(query)
        time.sleep(0.02)
        return page


def test_threads_of_one_worker_open_one_sweep_together() -> None:
    fake = SlowSearches()
    experiment_id = fake.create_experiment("hpo")
    container = worker(fake, sweep_settle_seconds=SLOW_SETTLE)
    start = threading.Barrier(4)

    def work(n: int) -> str:
        start.wait()
        with tracker(container, experiment_id).sweep(STUDY) as sweep:
            for number in range(n * 10, n * 10 + 2):
                with sweep.trial(number, {"lr": number}) as trial, trial.fold(0):
                    pass
            return sweep.run_id

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        opened = set(pool.map(work, range(4)))
    assert time.monotonic() - started < SLOW_SETTLE
    (sweep,) = runs_of(fake, experiment_id, "sweep")
    assert opened == {sweep.run_id} and sweep.status is RunStatus.FINISHED
    trials = runs_of(fake, experiment_id, "trial")
    assert len(trials) == 8 and {t.parent_run_id for t in trials} == {sweep.run_id}


def test_a_short_trials_params_go_out_with_its_metrics_in_one_batch() -> None:
    fake, experiment_id = shared_fake()
    sweeps = tracker(worker(fake, trial_params_delay=30), experiment_id)
    with sweeps.sweep(STUDY) as sweep, sweep.trial(3, {"lr": 0.1, "batch_size": 16}) as trial:
        fake.reset_calls()
        with trial.fold(0):
            pass
        trial.log_cv("f1", [0.7])
        assert fake.calls["log_batch"] == 1
    run = fake.get_run(trial.run_id)
    assert dict(run.params) == {"lr": "0.1", "batch_size": "16"}
    assert run.metrics["f1"] == 0.7


def test_a_long_trials_params_are_visible_while_it_runs() -> None:
    fake, experiment_id = shared_fake()
    sweeps = tracker(worker(fake, trial_params_delay=0.05), experiment_id)
    with sweeps.sweep(STUDY) as sweep, sweep.trial(4, {"lr": 0.2}) as trial:
        trial.log_params({"optimizer": "adam"})
        deadline = time.monotonic() + 5
        while not fake.get_run(trial.run_id).params and time.monotonic() < deadline:
            time.sleep(0.01)
        assert dict(fake.get_run(trial.run_id).params) == {"lr": "0.2", "optimizer": "adam"}
        fake.reset_calls()
        trial.log_cv("f1", [0.5, 0.6])
        assert fake.calls["log_batch"] == 1  # the params are not written twice
    assert fake.get_run(trial.run_id).status is RunStatus.FINISHED


def test_params_whose_background_write_failed_are_written_when_the_trial_ends() -> None:
    fake, experiment_id = shared_fake()
    container = worker(fake, trial_params_delay=0.05, retry_attempts=1)
    with (
        tracker(container, experiment_id).sweep(STUDY) as sweep,
        sweep.trial(5, {"lr": 0.3}) as trial,
    ):
        fake.faults.fail_next(1, operations={"log_batch"})
        deadline = time.monotonic() + 5
        while fake.faults.injected.get("unavailable", 0) == 0:
            assert time.monotonic() < deadline, "the background write never ran"
            time.sleep(0.01)
        assert fake.get_run(trial.run_id).params == {}
    run = fake.get_run(trial.run_id)
    assert dict(run.params) == {"lr": "0.3"} and run.status is RunStatus.FINISHED


def test_params_that_cannot_be_written_fail_the_trials_end() -> None:
    fake, experiment_id = shared_fake()
    container = worker(fake, trial_params_delay=30, retry_attempts=1)
    with (
        tracker(container, experiment_id).sweep(STUDY) as sweep,
        pytest.raises(TrackingUnavailableError),
        sweep.trial(6, {"lr": 0.4}) as trial,
    ):
        fake.faults.fail_next(1, operations={"log_batch"})
    assert fake.get_run(trial.run_id).params == {}
    assert fake.get_run(trial.run_id).status is RunStatus.FAILED


def test_a_zero_delay_writes_params_at_once_and_a_negative_one_is_refused() -> None:
    fake, experiment_id = shared_fake()
    sweeps = tracker(worker(fake, trial_params_delay=0), experiment_id)
    with sweeps.sweep(STUDY) as sweep, sweep.trial(7, {"lr": 0.5}) as trial:
        assert dict(fake.get_run(trial.run_id).params) == {"lr": "0.5"}
    with pytest.raises(ValueError, match="trial_params_delay"):
        TrackwrightSettings(backend="memory", trial_params_delay=-1)
    env = {"TRACKWRIGHT_TRIAL_PARAMS_DELAY": "2.5"}
    assert TrackwrightSettings.from_env(env).trial_params_delay == 2.5
    assert TrackwrightSettings.from_env({}).trial_params_delay == 1.0
