"""The Optuna integration in one process: n_jobs threads, pruned/failed trials, callbacks."""

from __future__ import annotations

from typing import Any

import optuna
import pytest

from tests.distributed.workers import (
    STUDY,
    heartbeat_threads,
    runs_of,
    shared_fake,
    tracker,
    worker,
)
from trackwright.application.integrations.optuna import (
    RUN_ID_ATTR,
    failed_trial_callback,
    optuna_study_key,
    tracked_objective,
)
from trackwright.application.trackers import TrialScope
from trackwright.domain.finding.query import RunQuery
from trackwright.domain.model import RunStatus


def _objective(trial: optuna.trial.Trial, tracked: TrialScope) -> float:
    x = trial.suggest_float("x", -3, 3)
    if trial.suggest_categorical("kind", ["plain", "deep"]) == "deep":
        trial.suggest_int("layers", 1, 4)  # conditional: define-by-run
    with tracked.fold(0):
        pass
    if trial.number % 5 == 3:
        raise optuna.TrialPruned()
    if trial.number % 5 == 4:
        raise ValueError("diverged")
    return x * x


def test_study_optimize_with_four_threads_records_each_trial_once_with_its_state() -> None:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    fake, experiment_id = shared_fake()
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    with tracker(worker(fake), experiment_id).sweep(optuna_study_key("demo")) as sweep:
        study.optimize(
            tracked_objective(sweep, _objective), n_trials=20, n_jobs=4, catch=(ValueError,)
        )
    (sweep_run,) = runs_of(fake, experiment_id, "sweep")
    trials = {t.run_id: t for t in runs_of(fake, experiment_id, "trial")}
    assert sweep_run.status is RunStatus.FINISHED and len(trials) == 20
    expected = {
        optuna.trial.TrialState.COMPLETE: (RunStatus.FINISHED, None),
        optuna.trial.TrialState.PRUNED: (RunStatus.FINISHED, "pruned"),
        optuna.trial.TrialState.FAIL: (RunStatus.FAILED, "failed"),
    }
    for frozen in study.trials:
        run = trials[frozen.user_attrs[RUN_ID_ATTR]]
        assert (run.status, run.tags.get("code.trial.state")) == expected[frozen.state]
        assert dict(run.params) == {k: str(v) for k, v in frozen.params.items()}
    everything = fake.search_runs(RunQuery(experiment_ids=(experiment_id,))).runs
    assert [r for r in everything if r.status is RunStatus.RUNNING] == []
    assert heartbeat_threads() == []


def test_optunas_stale_trial_callback_ends_the_trial_run_and_its_folds() -> None:
    fake, experiment_id = shared_fake()
    container = worker(fake)
    held: list[Any] = [tracker(container, experiment_id).sweep(STUDY)]
    sweep = held[0].__enter__()
    held.append(sweep.trial(0))
    trial = held[-1].__enter__()
    held.append(trial.fold(0))
    fold = held[-1].__enter__()
    frozen = optuna.trial.create_trial(
        state=optuna.trial.TrialState.FAIL, user_attrs={RUN_ID_ATTR: trial.run_id}
    )
    callback = failed_trial_callback(container.stage_runs().lease.reaper)
    callback(optuna.create_study(), frozen)
    for run_id in (trial.run_id, fold.run_id):
        run = fake.get_run(run_id)
        assert run.status is RunStatus.KILLED and run.tags["code.interrupted"] == "true"


@pytest.mark.parametrize("name", ["demo", "other study"])
def test_an_optuna_study_name_maps_to_a_well_formed_study_key(name: str) -> None:
    key = optuna_study_key(name)
    assert len(key) == 64 and key == optuna_study_key(name)
