"""One HPO sweep written four ways; ``sweep_requests.py`` counts and times them.

Every variant does the same work: a sweep parent, ``n`` trials, 3 CV folds per trial. Every
fold gets a param and its score and ends FINISHED; every trial gets its hyper-parameters and
its cross-validation metrics (mean, std, per-fold scores) and ends FINISHED; the parent gets
the best trial (param, tags, metric) and ends FINISHED.
"""

from __future__ import annotations

import hashlib
import os
import statistics
from collections.abc import Callable
from pathlib import Path

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric as MlflowMetric
from mlflow.entities import Param, RunTag

from trackwright.application import (
    TrackwrightSettings,
    build_container,
    create_child_run,
    create_training_child_run,
    create_training_mlflow_run,
    use_container,
)
from trackwright.application.trackers import SweepTracker, TrialScope
from trackwright.domain.model import Metric, RunKind, RunStatus
from trackwright.domain.ports import TrackingPort
from trackwright.domain.stage_context import StageContext

FOLDS = 3
PARENT = "mlflow.parentRunId"
RUN_NAME = "mlflow.runName"


def hyperparameters(number: int) -> dict[str, str]:
    """Trial ``number``'s hyper-parameters."""
    return {"learning_rate": f"{1e-5 * (number + 1):.6g}", "batch_size": "16"}


def score(number: int, fold: int) -> float:
    """A made-up but deterministic fold score."""
    return 0.6 + ((number * 7 + fold * 3) % 17) / 100


def cv_metrics(scores: list[float]) -> dict[str, float]:
    """The metrics a trial gets: what ``TrialScope.log_cv`` logs."""
    mean = statistics.fmean(scores)
    per_fold = {f"fold_{i}_macro-f1": s for i, s in enumerate(scores)}
    return {"macro-f1": mean, "cv_mean": mean, "cv_std": statistics.pstdev(scores), **per_fold}


def best_tags(run_id: str, number: int) -> dict[str, str]:
    """The tags that name the best trial on the parent."""
    return {"code.hpo.best_trial_run_id": run_id, "code.hpo.best_trial_number": str(number)}


def trackers(
    uri: str,
    experiment: str,
    n: int,
    index: Path,
    study: str = "s" * 64,
    crash_at: int | None = None,
) -> None:
    """The stage trackers (README Quickstart); ``crash_at``: die in that trial's 2nd fold."""
    settings = TrackwrightSettings(tracking_uri=uri, run_index_file=index)
    container = build_container(settings)
    experiment_id = container.experiments().get_or_create(experiment)
    base = StageContext(kind=RunKind.SWEEP, model="bert")
    tracker = SweepTracker(container.stage_runs(), experiment_id, base)
    tracking = container.tracking()
    best: tuple[TrialScope | None, float] = (None, -1.0)
    with tracker.sweep(study) as sweep:
        for number in range(n):
            with sweep.trial(number, hyperparameters(number)) as trial:
                if trial.stage.completed:  # finished in an earlier attempt
                    mean = trial.stage.run.metrics.get("macro-f1", 0.0)
                else:
                    scores = _folds(trial, tracking, number, crash_at)
                    mean = trial.log_cv("macro-f1", scores)
            if mean > best[1]:
                best = (trial, mean)
        if best[0] is not None:
            sweep.log_best_trial(best[0], "macro-f1", best[1])


def _folds(
    trial: TrialScope, tracking: TrackingPort, number: int, crash_at: int | None
) -> list[float]:
    scores = []
    for fold_idx in range(FOLDS):
        with trial.fold(fold_idx) as fold:
            if crash_at == number and fold_idx == 1:
                os._exit(3)  # a killed worker: nothing is ended
            if fold.completed:
                scores.append(fold.run.metrics.get("macro-f1", 0.0))
                continue
            scores.append(score(number, fold_idx))
            metrics = [Metric("macro-f1", scores[-1])]
            tracking.log_batch(fold.run_id, params={"fold": str(fold_idx)}, metrics=metrics)
    return scores


def seed(uri: str, experiment: str, n: int, index: Path) -> None:
    """The seed-compatible functions, as a migrating training app calls them."""
    container = build_container(TrackwrightSettings(tracking_uri=uri, run_index_file=index))
    use_container(container)
    try:
        tracking = container.tracking()
        parent_id, _ = create_training_mlflow_run(experiment, "sweep", tags={"code.stage": "hpo"})
        best = ("", -1, -1.0)
        for number in range(n):
            with create_child_run(parent_id, number, experiment_name=experiment) as trial:
                scores = []
                for fold_idx in range(FOLDS):
                    name = f"trial_{number}_fold{fold_idx}"
                    fold_id, _ = create_training_child_run(
                        experiment, name, trial.run_id, fold_idx=fold_idx
                    )
                    scores.append(score(number, fold_idx))
                    metrics = [Metric("macro-f1", scores[-1])]
                    tracking.log_batch(fold_id, params={"fold": str(fold_idx)}, metrics=metrics)
                    tracking.set_terminated(fold_id, RunStatus.FINISHED)
                cv = [Metric(k, v) for k, v in cv_metrics(scores).items()]
                tracking.log_batch(trial.run_id, params=hyperparameters(number), metrics=cv)
            if cv[0].value > best[2]:
                best = (trial.run_id, number, cv[0].value)
        tracking.log_batch(
            parent_id,
            tags=best_tags(best[0], best[1]),
            params={"best_trial_run_id": best[0]},
            metrics=[Metric("best_macro-f1", best[2])],
        )
        tracking.set_terminated(parent_id, RunStatus.FINISHED)
    finally:
        use_container(None)


def _metrics(values: dict[str, float]) -> list[MlflowMetric]:
    now = mlflow.utils.time.get_current_time_millis()
    return [MlflowMetric(k, v, now, 0) for k, v in values.items()]


def raw(uri: str, experiment: str, n: int, index: Path) -> None:
    """A careful raw ``MlflowClient``: create with tags, one batch, ``set_terminated``."""
    _raw(uri, experiment, n, _few_tags)


def raw_tagged(uri: str, experiment: str, n: int, index: Path) -> None:
    """The careful raw client writing the same tags as the stage trackers (keys and sizes)."""
    _raw(uri, experiment, n, _tracker_tags)


def _few_tags(number: int | None, fold: int | None, parent_id: str) -> dict[str, str]:
    """The raw variant's own tags: the parent link and the trial number or fold index."""
    if number is None:
        return {"code.stage": "hpo"}
    if fold is None:
        return {PARENT: parent_id, "trial_number": str(number)}
    return {PARENT: parent_id, "fold_idx": str(fold)}


_WORKER = "vm-0000-6f40594b"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _tracker_tags(number: int | None, fold: int | None, parent_id: str) -> dict[str, str]:
    """Tags with the keys and value sizes the stage trackers write on each kind of run."""
    tags = {
        "code.backbone": "bert",
        "code.created_by": "system",
        "code.env": "local",
        "code.execution_platform": "local",
        "code.grouping_schema_version": "1",
        "code.model": "bert",
        "code.project": "resume-ner",
        "code.stage": "hpo",
        "code.storage_env": "local",
        "code.study_key_hash": "s" * 64,
        "code.run_key_hash": _sha256(f"{number}/{fold}"),
    }
    name = "local_bert_hpo_study-ssssssss"
    if number is None:
        return tags | {"code.run_type": "sweep", "mlflow.runType": "sweep", RUN_NAME: name}
    name = name.replace("hpo_", "hpo_trial_") + f"_t{number:02d}"
    trial_key = _sha256(f"trial {number}")
    tags |= {
        PARENT: parent_id,
        "code.run_type": "trial" if fold is None else "fold",
        "code.hpo.trial_number": str(number),
        "code.lease.run_id": "0" * 32,
        "code.trial_id": f"trial_{number}_{trial_key[:12]}",
        "code.trial_key_hash": trial_key,
        "code.worker_id": _WORKER,
        "trial_number": str(number),
    }
    if fold is None:
        return tags | {RUN_NAME: name}
    return tags | {"fold_idx": str(fold), RUN_NAME: f"{name}_fold{fold}"}


def _raw(
    uri: str,
    experiment: str,
    n: int,
    tags_for: Callable[[int | None, int | None, str], dict[str, str]],
) -> None:
    client = MlflowClient(tracking_uri=uri)
    experiment_id = client.create_experiment(experiment)
    tags = tags_for(None, None, "")
    parent = client.create_run(experiment_id, run_name=tags.get(RUN_NAME, "sweep"), tags=tags).info
    best = ("", -1, -1.0)
    for number in range(n):
        tags = tags_for(number, None, parent.run_id)
        name = tags.get(RUN_NAME, f"trial_{number}")
        trial = client.create_run(experiment_id, run_name=name, tags=tags).info
        scores = []
        for fold_idx in range(FOLDS):
            tags = tags_for(number, fold_idx, trial.run_id)
            name = tags.get(RUN_NAME, f"trial_{number}_fold{fold_idx}")
            fold = client.create_run(experiment_id, run_name=name, tags=tags).info
            scores.append(score(number, fold_idx))
            params = [Param("fold", str(fold_idx))]
            client.log_batch(fold.run_id, metrics=_metrics({"macro-f1": scores[-1]}), params=params)
            client.set_terminated(fold.run_id)
        params = [Param(k, v) for k, v in hyperparameters(number).items()]
        client.log_batch(trial.run_id, metrics=_metrics(cv_metrics(scores)), params=params)
        client.set_terminated(trial.run_id)
        if statistics.fmean(scores) > best[2]:
            best = (trial.run_id, number, statistics.fmean(scores))
    client.log_batch(
        parent.run_id,
        metrics=_metrics({"best_macro-f1": best[2]}),
        params=[Param("best_trial_run_id", best[0])],
        tags=[RunTag(k, v) for k, v in best_tags(best[0], best[1]).items()],
    )
    client.set_terminated(parent.run_id)


def fluent(uri: str, experiment: str, n: int, index: Path) -> None:
    """MLflow's fluent API: nested ``start_run``, ``log_params``, ``log_metrics``."""
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(experiment)
    best = ("", -1, -1.0)
    with mlflow.start_run(run_name="sweep", tags={"code.stage": "hpo"}):
        for number in range(n):
            tags = {"trial_number": str(number)}
            with mlflow.start_run(run_name=f"trial_{number}", nested=True, tags=tags) as trial:
                mlflow.log_params(hyperparameters(number))
                scores = []
                for fold_idx in range(FOLDS):
                    name = f"trial_{number}_fold{fold_idx}"
                    tags = {"fold_idx": str(fold_idx)}
                    with mlflow.start_run(run_name=name, nested=True, tags=tags):
                        scores.append(score(number, fold_idx))
                        mlflow.log_params({"fold": str(fold_idx)})
                        mlflow.log_metrics({"macro-f1": scores[-1]})
                mlflow.log_metrics(cv_metrics(scores))
            if statistics.fmean(scores) > best[2]:
                best = (trial.info.run_id, number, statistics.fmean(scores))
        mlflow.log_params({"best_trial_run_id": best[0]})
        mlflow.set_tags(best_tags(best[0], best[1]))
        mlflow.log_metrics({"best_macro-f1": best[2]})
