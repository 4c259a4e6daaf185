"""Real worker processes on one Optuna study (RDB storage on the same PostgreSQL) tracked
into the PostgreSQL-backed ``mlflow server`` (2 workers): one sweep, no lost work, leases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import optuna
import pytest

from tests.distributed.harness import Fleet, record, seconds_until_ended, wait_for_fold
from tests.live_server.postgres import PostgresMlflowServer
from trackwright.adapters.mlflow_store import MlflowTracking
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import Run, RunStatus

pytestmark = pytest.mark.postgres
FAST = {"heartbeat_interval": 0.5, "grace_period": 4.0, "settle": 1.0, "folds": 2}


@pytest.fixture
def fleet(postgres_server: PostgresMlflowServer, tmp_path: Path) -> Iterator[Fleet]:
    storage = postgres_server.cluster.database("optuna")
    fleet = Fleet(tmp_path, postgres_server.uri, storage, {**FAST, "fold_seconds": 0.05})
    yield fleet
    fleet.stop()


def _experiment_runs(tracking: MlflowTracking, fleet: Fleet) -> list[Run]:
    experiment = tracking.get_experiment_by_name(fleet.experiment)
    assert experiment is not None
    query = RunQuery(experiment_ids=(experiment.experiment_id,))
    return list(tracking.search_runs(query).runs)


def test_four_workers_started_together_record_one_sweep_and_every_trial_once(
    fleet: Fleet, postgres_server: PostgresMlflowServer
) -> None:
    for n in range(4):
        fleet.start(f"w{n}", n_trials=5)
    fleet.go()
    for n in range(4):
        assert fleet.wait(f"w{n}", timeout=120) == 0, fleet.log(f"w{n}")
    summary = record(MlflowTracking(postgres_server.uri), fleet).summary()
    assert summary == {
        "sweeps": 1,
        "trial_runs": 20,
        "optuna_trials": 20,
        "duplicated_trials": 0,
        "interrupted": 0,
        "killed": 0,
        "running": 0,
        "runs_ending_after_sweep": 0,
        "sweep_seen_ended_mid_trial": 0,
    }


def test_a_killed_workers_runs_expire_and_its_restart_joins_the_same_sweep(
    postgres_server: PostgresMlflowServer, tmp_path: Path
) -> None:
    storage = postgres_server.cluster.database("optuna")
    settings = {**FAST, "fold_seconds": 0.6, "optuna_heartbeat": True}
    fleet = Fleet(tmp_path, postgres_server.uri, storage, settings)
    tracking = MlflowTracking(postgres_server.uri)
    try:
        victim = fleet.start("victim", n_trials=6)
        fleet.start("survivor", n_trials=6)
        fleet.go()
        fold = wait_for_fold(tracking, fleet, "victim", timeout=60)
        fleet.kill("victim")
        dead = [fold.run_id, str(fold.parent_run_id)]
        # expired one grace period after the last heartbeat; the survivor checks twice per grace
        assert seconds_until_ended(tracking, dead, 30) < 2 * FAST["grace_period"]
        for run_id in dead:
            run = tracking.get_run(run_id)
            assert run.status is RunStatus.KILLED and run.tags["code.interrupted"] == "true"
        fleet.start("restarted", n_trials=2)
        fleet.go()
        assert fleet.wait("survivor", timeout=120) == 0, fleet.log("survivor")
        assert fleet.wait("restarted", timeout=120) == 0, fleet.log("restarted")
    finally:
        fleet.stop()
    final = record(tracking, fleet)
    (sweep,) = final.of_kind("sweep")
    assert {t.parent_run_id for t in final.of_kind("trial")} == {sweep.run_id}
    interrupted = {r.run_id for r in final.runs if r.tags.get("code.interrupted")}
    assert set(dead) <= interrupted
    victim_runs = {
        r.run_id for r in final.runs if f"-{victim.pid}-" in r.tags.get("code.worker_id", "")
    }
    assert interrupted <= victim_runs  # the live workers lost nothing
    assert final.summary()["running"] == 0
    number = int(tracking.get_run(dead[1]).tags["code.hpo.trial_number"])
    study = optuna.load_study(study_name=fleet.study, storage=storage)
    assert study.trials[number].state is optuna.trial.TrialState.FAIL  # Optuna's own check
    assert final.summary()["sweep_seen_ended_mid_trial"] == 0
    assert sweep.status is RunStatus.FINISHED
