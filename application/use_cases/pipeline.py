"""A simulated NER training pipeline recorded through the stage trackers.

Fast fake "training" with plausible metrics: for each backbone an HPO sweep (trials with
CV folds) and a refit of the best trial, then final training, a benchmark and an ONNX
conversion of that model, all linked by lineage. It is the demo's main job and the
end-to-end test's workload; re-running it resumes and reuses its runs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trackwright.application.trackers import BenchmarkResult, ModelStages, SweepTracker
from trackwright.application.trackers.stage_runs import StageRun, StageRuns
from trackwright.application.trackers.sweep import SweepScope
from trackwright.application.trackers.trial import TrialScope
from trackwright.domain.experiment_resolution import ExperimentDirectory
from trackwright.domain.identity import study_key_hash_v2
from trackwright.domain.model import Metric, RunKind
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.lineage import Lineage

Progress = Callable[[str], None]
METRIC = "macro-f1"


class SimulatedFailure(RuntimeError):
    """Raised inside a trial when the pipeline is asked to fail there (tests)."""


@dataclass(frozen=True)
class PipelineConfig:
    """What to simulate."""

    backbones: tuple[str, ...] = ("distilbert-base-uncased", "deberta-v3-small")
    trials: int = 4
    folds: int = 3
    experiment_prefix: str = "trackwright-demo"
    seed: int = 7
    fail_in_trial: tuple[str, int] | None = None


@dataclass
class PipelineResult:
    """The runs the pipeline ended with, by backbone, and the experiments it used."""

    sweeps: dict[str, str] = field(default_factory=dict)
    conversions: dict[str, str] = field(default_factory=dict)
    experiment_ids: list[str] = field(default_factory=list)
    experiment_names: list[str] = field(default_factory=list)


def _search_space(rng: random.Random) -> dict[str, Any]:
    return {
        "learning_rate": round(10 ** rng.uniform(-5, -3.5), 8),
        "batch_size": rng.choice([8, 16, 32]),
        "dropout": round(rng.uniform(0.05, 0.3), 3),
    }


def _score(backbone: str, params: dict[str, Any], fold: int) -> float:
    base = 0.78 if "deberta" in backbone else 0.74
    lr_penalty = abs(float(params["learning_rate"]) - 5e-5) * 400
    noise = random.Random(f"{backbone}{params}{fold}").uniform(-0.02, 0.02)
    score = base - lr_penalty - float(params["dropout"]) / 10 + noise
    return round(max(0.0, min(1.0, score)), 4)


def _latency(batch: int) -> BenchmarkResult:
    mean = 3.0 + 1.5 * batch
    return BenchmarkResult(batch, mean, mean * 0.97, mean * 1.3, mean * 1.6, batch * 1000 / mean)


class SimulatedPipeline:
    """Runs the simulated pipeline against one container's services."""

    def __init__(
        self, stages: StageRuns, experiments: ExperimentDirectory, progress: Progress | None = None
    ) -> None:
        self._stages, self._experiments = stages, experiments
        self._say: Progress = progress or (lambda _message: None)

    def _experiment(self, name: str, result: PipelineResult) -> str:
        experiment_id = self._experiments.get_or_create(name)
        if experiment_id not in result.experiment_ids:
            result.experiment_ids.append(experiment_id)
            result.experiment_names.append(name)
        return experiment_id

    def run(self, config: PipelineConfig) -> PipelineResult:
        """Record every stage for every backbone; returns the sweep and conversion runs."""
        result = PipelineResult()
        model_experiment = self._experiment(f"{config.experiment_prefix}-models", result)
        for backbone in config.backbones:
            hpo_name = f"{config.experiment_prefix}-hpo-{backbone.split('-')[0]}"
            hpo_experiment = self._experiment(hpo_name, result)
            base = StageContext(kind=RunKind.SWEEP, model=backbone, project="trackwright-demo")
            lineage = self._sweep(
                config, backbone, SweepTracker(self._stages, hpo_experiment, base), result
            )
            self._model_stages(ModelStages(self._stages, model_experiment), base, lineage, result)
        return result

    def _sweep(
        self, config: PipelineConfig, backbone: str, tracker: SweepTracker, result: PipelineResult
    ) -> Lineage:
        hpo = {
            "objective": {"metric": METRIC, "direction": "maximize"},
            "k_fold": {"n_splits": config.folds},
        }
        study = study_key_hash_v2({"name": "resume-ner", "version": "1"}, hpo, {}, backbone)
        self._say(f"[{backbone}] sweep: {config.trials} trials x {config.folds} folds")
        rng = random.Random(f"{config.seed}-{backbone}")
        with tracker.sweep(
            study, params={"backbone": backbone, "max_trials": config.trials}
        ) as sweep:
            result.sweeps[backbone] = sweep.run_id
            scored = [
                self._trial(config, sweep, backbone, n, _search_space(rng))
                for n in range(config.trials)
            ]
            best, params, value = max(
                scored, key=lambda s: (s[2], -(s[0].context.trial_number or 0))
            )
            sweep.log_best_trial(best, METRIC, value)
            with sweep.refit(best, params) as refit:
                number = best.context.trial_number
                self._say(f"[{backbone}] refit of trial {number} ({METRIC} {value:.4f})")
                self._log(refit, Metric(METRIC, value))
        return Lineage(study, best.context.trial_key_hash, best.run_id, refit.run_id, sweep.run_id)

    def _trial(
        self,
        config: PipelineConfig,
        sweep: SweepScope,
        backbone: str,
        number: int,
        params: dict[str, Any],
    ) -> tuple[TrialScope, dict[str, Any], float]:
        with sweep.trial(number, params) as trial:
            scores = []
            for fold_idx in range(config.folds):
                with trial.fold(fold_idx) as fold:
                    if config.fail_in_trial == (backbone, number) and fold_idx == 1:
                        raise SimulatedFailure(f"simulated failure in {backbone} trial {number}")
                    scores.append(_score(backbone, params, fold_idx))
                    self._log(fold, Metric(METRIC, scores[-1]))
            mean = trial.log_cv(METRIC, scores)
            self._say(f"[{backbone}] trial {number}: {METRIC} {mean:.4f}")
            return trial, params, mean

    def _log(self, stage: StageRun, metric: Metric) -> None:
        """Log ``metric``, unless the stage was completed in an earlier attempt."""
        if not stage.completed:
            self._stages.tracking.log_batch(stage.run_id, metrics=[metric])

    def _model_stages(
        self, models: ModelStages, base: StageContext, lineage: Lineage, result: PipelineResult
    ) -> None:
        self._say(f"[{base.model}] final training, benchmark, conversion")
        spec = f"{lineage.hpo_trial_key_hash}"[:16]
        exec_fp = f"{lineage.hpo_study_key_hash}"[16:32]
        ctx = base.evolve(
            spec_fp=spec,
            exec_fp=exec_fp,
            variant=1,
            study_key_hash=lineage.hpo_study_key_hash,
            trial_key_hash=lineage.hpo_trial_key_hash,
            benchmark_config_hash=f"{exec_fp}bench",
        )
        score = _score(base.model, {"learning_rate": 5e-5, "dropout": 0.1}, 99)
        with models.final_training(ctx, lineage) as final:
            self._log(final, Metric(METRIC, score))
        bench_ctx = ctx.evolve(trial_id=f"final_{final.run_id[:12]}")
        with models.benchmark(bench_ctx, lineage.for_benchmark(final.run_id)) as bench:
            latency = [_latency(batch) for batch in (1, 8, 32)]
            models.log_benchmark(bench, latency, 50, 5, 128, "cpu")
        conv_ctx = ctx.evolve(parent_training_id=f"spec_{spec}_exec_{exec_fp}/v1", conv_fp="int8")
        with models.conversion(conv_ctx, final.run_id, "onnx", "int8", 17) as conversion:
            size = Metric("onnx_model_size_mb", 64.0 if "distil" in base.model else 142.0)
            self._log(conversion, size)
            result.conversions[base.model] = conversion.run_id
