"""Liveness by lease: heartbeats, expiry, and only abandoned runs ended (on the fake)."""

from __future__ import annotations

import time

import pytest

from tests.distributed.workers import heartbeat_threads, runs_of, shared_fake, tracker, worker
from trackwright.application import TrackwrightSettings, build_container
from trackwright.domain.distributed.leases import LeaseSettings
from trackwright.domain.errors import LeaseSettingsError
from trackwright.domain.model import RunStatus

STUDY = "b2" * 32


@pytest.mark.parametrize(
    ("interval", "grace"),
    [(-1.0, 10.0), (1.0, -5.0), (0.0, 10.0), (10.0, 10.0), (20.0, 10.0), (float("nan"), 5.0)],
)
def test_nonsensical_lease_settings_are_refused_before_any_write(
    interval: float, grace: float
) -> None:
    with pytest.raises(LeaseSettingsError):
        LeaseSettings(interval, grace)
    with pytest.raises(LeaseSettingsError):
        build_container(TrackwrightSettings(heartbeat_interval=interval, grace_period=grace))


def test_lease_settings_come_from_the_environment_with_documented_defaults() -> None:
    assert LeaseSettings() == LeaseSettings(30.0, 120.0)
    env = {"TRACKWRIGHT_HEARTBEAT_INTERVAL": "2", "TRACKWRIGHT_GRACE_PERIOD": "9"}
    assert TrackwrightSettings.from_env(env).lease_settings() == LeaseSettings(2.0, 9.0)
    with pytest.raises(LeaseSettingsError):
        TrackwrightSettings.from_env({"TRACKWRIGHT_GRACE_PERIOD": "1"}).lease_settings()


def test_one_heartbeat_request_per_interval_however_many_runs_are_open() -> None:
    fake, experiment_id = shared_fake()
    container = worker(fake, heartbeat_interval=0.2, grace_period=5.0)
    with tracker(container, experiment_id).sweep(STUDY) as sweep:  # noqa: SIM117
        with sweep.trial(0, {"lr": 0.1}) as trial, trial.fold(0), trial.fold(1), trial.fold(2):
            lease = container.stage_runs().lease.lease_run_id
            fake.reset_calls()
            time.sleep(1.1)
            beats = fake.calls["log_batch"]
            assert lease is not None and 4 <= beats <= 6
            assert sum(fake.calls.values()) <= beats + 1  # plus at most one lease check


def test_the_heartbeat_thread_stops_when_the_last_run_ends() -> None:
    fake, experiment_id = shared_fake()
    container = worker(fake)
    with tracker(container, experiment_id).sweep(STUDY) as sweep, sweep.trial(0, {"lr": 1}):
        assert len(heartbeat_threads()) == 1
    assert heartbeat_threads() == []
    assert runs_of(fake, experiment_id, "lease") == []
    assert not container.stage_runs().lease.heartbeat_running


def test_a_live_workers_runs_are_never_ended_by_another_worker() -> None:
    fake, experiment_id = shared_fake()
    alive, other = worker(fake), worker(fake)
    with tracker(alive, experiment_id).sweep(STUDY) as sweep, sweep.trial(0, {"lr": 1}) as trial:
        time.sleep(1.0)  # two grace periods: the heartbeat keeps the lease fresh
        assert other.stage_runs().reap(experiment_id) == []
        assert fake.get_run(trial.run_id).status is RunStatus.RUNNING


def _die(container: object) -> None:
    """Stop a worker's heartbeat without ending its runs (as kill -9 would)."""
    lease = container.stage_runs().lease  # type: ignore[attr-defined]
    lease._thread.stop()


def _open_trial_and_fold(container: object, experiment_id: str) -> tuple[list[object], str, str]:
    """Enter sweep, trial and fold scopes and keep them open (the caller holds them)."""
    held: list[object] = [tracker(container, experiment_id).sweep(STUDY)]  # type: ignore[arg-type]
    sweep = held[0].__enter__()  # type: ignore[attr-defined]
    held.append(sweep.trial(0, {"lr": 1}))
    trial = held[-1].__enter__()  # type: ignore[attr-defined]
    held.append(trial.fold(0))
    fold = held[-1].__enter__()  # type: ignore[attr-defined]
    return held, trial.run_id, fold.run_id


def test_runs_of_an_expired_lease_end_killed_and_tagged_interrupted() -> None:
    fake, experiment_id = shared_fake()
    dead, survivor = worker(fake), worker(fake)
    held, trial_id, fold_id = _open_trial_and_fold(dead, experiment_id)
    _die(dead)
    time.sleep(0.7)
    ended = survivor.stage_runs().reap(experiment_id)
    assert held and set(ended) == {trial_id, fold_id}
    for run_id in ended:
        run = fake.get_run(run_id)
        assert run.status is RunStatus.KILLED
        assert run.tags["code.interrupted"] == "true"
        assert run.tags["code.trial.state"] == "interrupted"


def test_a_status_written_meanwhile_is_never_overwritten() -> None:
    fake, experiment_id = shared_fake()
    dead, survivor = worker(fake), worker(fake)
    held, trial_id, _ = _open_trial_and_fold(dead, experiment_id)
    lease = dead.stage_runs().lease.lease_run_id
    _die(dead)
    time.sleep(0.7)
    fake.set_terminated(trial_id, RunStatus.FINISHED)  # the owner finished after all
    reaper = survivor.stage_runs().lease.reaper
    assert held and reaper.end_abandoned(trial_id, str(lease)) is False
    assert fake.get_run(trial_id).status is RunStatus.FINISHED


def test_running_runs_without_a_lease_are_left_alone_by_the_reaper() -> None:
    fake, experiment_id = shared_fake()
    foreign = fake.create_run(experiment_id, "other-tool", {"code.study_key_hash": STUDY})
    time.sleep(0.6)
    assert worker(fake).stage_runs().reap(experiment_id) == []
    assert fake.get_run(foreign.run_id).status is RunStatus.RUNNING


def test_a_restarted_worker_takes_over_the_trial_of_an_expired_lease_without_a_duplicate() -> None:
    fake, experiment_id = shared_fake()
    dead, restarted = worker(fake), worker(fake)
    held, trial_id, _ = _open_trial_and_fold(dead, experiment_id)
    _die(dead)
    # the trial waits out the dead lease, then takes over its run
    with tracker(restarted, experiment_id).sweep(STUDY) as sweep, sweep.trial(0, {"lr": 1}) as t:
        assert t.run_id == trial_id and t.stage.resumed
    run = fake.get_run(trial_id)
    assert held and run.status is RunStatus.FINISHED and run.tags["code.interrupted"] == "true"
    assert len(runs_of(fake, experiment_id, "trial")) == 1


def test_a_worker_in_two_experiments_holds_a_lease_in_each_and_is_reaped_in_each() -> None:
    fake, first = shared_fake()
    second = fake.create_experiment("training")
    dead, survivor = worker(fake), worker(fake)
    held, trial_id, fold_id = _open_trial_and_fold(dead, first)
    held_too, other_trial, other_fold = _open_trial_and_fold(dead, second)
    lease = dead.stage_runs().lease
    leases = {first: lease.run_in(first), second: lease.run_in(second)}
    assert [r.run_id for r in runs_of(fake, first, "lease")] == [leases[first]]
    assert [r.run_id for r in runs_of(fake, second, "lease")] == [leases[second]]
    assert fake.get_run(other_trial).tags["code.lease.run_id"] == leases[second]
    time.sleep(0.7)  # alive: both leases beat
    assert survivor.stage_runs().reap(second) == []
    _die(dead)
    time.sleep(0.7)
    assert held and held_too
    assert set(survivor.stage_runs().reap(second)) == {other_trial, other_fold}
    assert set(survivor.stage_runs().reap(first)) == {trial_id, fold_id}
