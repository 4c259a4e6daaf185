"""One sweep per study key, shared by workers; outcomes and define-by-run params (fake)."""

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
from trackwright.domain.errors import InvalidStudyKeyError, TrackingUnavailableError
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Metric, RunStatus


class Pruned(Exception):
    """Stands for optuna.TrialPruned."""


def _work(fake: InMemoryTracking, experiment_id: str, start: threading.Barrier, n: int) -> None:
    container = worker(fake)
    start.wait()
    with tracker(container, experiment_id).sweep(STUDY) as sweep:
        for number in range(n * 10, n * 10 + 3):
            with sweep.trial(number, {"lr": number}) as trial, trial.fold(0):
                pass


def test_workers_starting_together_converge_on_one_sweep_that_ends_when_the_last_leaves() -> None:
    fake, experiment_id = shared_fake()
    start = threading.Barrier(4)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: _work(fake, experiment_id, start, n), range(4)))
    (sweep,) = runs_of(fake, experiment_id, "sweep")
    trials = runs_of(fake, experiment_id, "trial")
    assert len(trials) == 12 and {t.parent_run_id for t in trials} == {sweep.run_id}
    assert sweep.status is RunStatus.FINISHED
    everything = fake.search_runs(RunQuery(experiment_ids=(experiment_id,))).runs
    assert [r.run_id for r in everything if r.status is RunStatus.RUNNING] == []
    assert not any(r.tags.get("code.interrupted") for r in everything)
    assert heartbeat_threads() == []


def test_a_worker_leaving_while_another_runs_leaves_the_sweep_running() -> None:
    fake, experiment_id = shared_fake()
    staying, leaving = worker(fake), worker(fake)
    with tracker(staying, experiment_id).sweep(STUDY) as kept:
        with tracker(leaving, experiment_id).sweep(STUDY) as joined:
            assert joined.run_id == kept.run_id
            with joined.trial(1, {"lr": 1}):
                pass
        assert fake.get_run(kept.run_id).status is RunStatus.RUNNING
        with kept.trial(2, {"lr": 2}):
            pass
    assert fake.get_run(kept.run_id).status is RunStatus.FINISHED


def test_a_finished_sweep_rerun_costs_few_requests_and_writes_nothing() -> None:
    fake, experiment_id = shared_fake()
    for attempt in range(2):
        if attempt:
            fake.reset_calls()
        with tracker(worker(fake), experiment_id).sweep(STUDY) as sweep:
            for number in range(20):
                with sweep.trial(number, {"lr": number}) as trial:
                    if trial.stage.completed:
                        continue
                    trial.log_cv("f1", [0.5, 0.6])
    assert sum(fake.calls.values()) <= 5
    assert {"create_run", "log_batch", "set_terminated"}.isdisjoint(fake.calls)


def test_a_malformed_study_key_is_refused_before_any_request() -> None:
    fake, experiment_id = shared_fake()
    fake.reset_calls()
    for bad in ["", "   ", "x'; drop", "short", "a" * 200, None]:
        with pytest.raises(InvalidStudyKeyError), tracker(worker(fake), experiment_id).sweep(bad):  # type: ignore[arg-type]
            pass
    assert fake.call_count == 0


def test_complete_pruned_and_failed_trials_are_told_apart() -> None:
    fake, experiment_id = shared_fake()
    base = tracker(worker(fake), experiment_id)
    pruning = type(base)(base._stages, experiment_id, base._base, pruned=(Pruned,))
    ids = {}
    with pruning.sweep(STUDY) as sweep:
        with sweep.trial(0, {"lr": 0}) as trial:
            ids["complete"] = trial.run_id
        for number, error in ((1, Pruned("step 3")), (2, ValueError("bad password=hunter2"))):
            with pytest.raises(type(error)), sweep.trial(number, {"lr": number}) as trial:
                ids[str(number)] = trial.run_id
                raise error
    complete, pruned, failed = (fake.get_run(ids[k]) for k in ("complete", "1", "2"))
    assert complete.status is RunStatus.FINISHED and "code.trial.state" not in complete.tags
    assert pruned.status is RunStatus.FINISHED and pruned.tags["code.trial.state"] == "pruned"
    assert failed.status is RunStatus.FAILED and failed.tags["code.trial.state"] == "failed"
    assert failed.tags["code.error.type"] == "builtins.ValueError"
    assert failed.tags["code.error.message"] == "bad password=***"


def test_define_by_run_params_go_out_with_the_next_batch() -> None:
    fake, experiment_id = shared_fake()
    with tracker(worker(fake), experiment_id).sweep(STUDY) as sweep, sweep.trial(7) as trial:
        trial.log_params({"optimizer": "adam"})
        trial.log_params({"lr": 0.01})
        fake.reset_calls()
        trial.log_metrics([Metric("loss", 0.3)])
        assert fake.calls["log_batch"] == 1
        trial.log_params({"late": 1})
    run = fake.get_run(trial.run_id)
    assert dict(run.params) == {"optimizer": "adam", "lr": "0.01", "late": "1"}
    assert run.tags["code.hpo.trial_number"] == "7"


def test_a_server_lost_mid_sweep_leaves_runs_to_expire_by_lease() -> None:
    fake, experiment_id = shared_fake()
    lost, survivor = worker(fake, retry_attempts=1), worker(fake)
    scopes = tracker(lost, experiment_id)
    with pytest.raises(TrackingUnavailableError), scopes.sweep(STUDY) as sweep:  # noqa: SIM117
        with sweep.trial(0, {"lr": 0}) as t:
            trial_id = t.run_id
            fake.faults.fail_next(1000)
            raise TrackingUnavailableError("server gone", operation="log_batch")
    fake.faults.clear()
    trial = fake.get_run(trial_id)
    assert trial.status is RunStatus.RUNNING and "code.interrupted" not in trial.tags
    assert heartbeat_threads() == []
    time.sleep(0.7)
    assert trial_id in survivor.stage_runs().reap(experiment_id)
    trial = fake.get_run(trial_id)
    assert trial.status is RunStatus.KILLED and trial.tags["code.interrupted"] == "true"


def test_closing_a_sweep_explicitly_ends_it_whoever_is_still_in_it() -> None:
    fake, experiment_id = shared_fake()
    with tracker(worker(fake), experiment_id).sweep(STUDY) as one:  # noqa: SIM117
        with tracker(worker(fake), experiment_id).sweep(STUDY) as other:
            other.close()
            assert fake.get_run(one.run_id).status is RunStatus.FINISHED


def test_a_dead_member_is_marked_gone_by_the_next_worker_to_join() -> None:
    fake, experiment_id = shared_fake()
    dead = worker(fake)
    held = [tracker(dead, experiment_id).sweep(STUDY)]
    sweep = held[0].__enter__()
    dead.stage_runs().lease._thread.stop()
    time.sleep(0.7)
    with tracker(worker(fake), experiment_id).sweep(STUDY) as joined:
        tags = fake.get_run(joined.run_id).tags
        member = f"code.sweep.worker.{dead.stage_runs().lease.worker_id}"
        assert tags[member] == "left" and tags["code.interrupted"] == "true"
    assert held and fake.get_run(sweep.run_id).status is RunStatus.FINISHED
