"""Stages after the sweep: final training, benchmark and conversion runs, with lineage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from trackwright.application.trackers.stage_runs import StageRun, StageRuns
from trackwright.domain.model import Metric, RunKind
from trackwright.domain.stage_context import StageContext
from trackwright.domain.tags.lineage import (
    Lineage,
    benchmark_lineage_tags,
    conversion_lineage_tags,
    lineage_tags,
)


@dataclass(frozen=True, slots=True)
class BenchmarkResult:
    """Latency of one batch size, in milliseconds, and its throughput."""

    batch_size: int
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    throughput_per_sec: float


def benchmark_metrics(results: Sequence[BenchmarkResult]) -> list[Metric]:
    """``latency_batch_<b>_ms`` (+ p50/p95/p99) per batch, throughput of the largest batch."""
    metrics: list[Metric] = []
    for r in results:
        prefix = f"latency_batch_{r.batch_size}"
        metrics += [
            Metric(f"{prefix}_ms", r.mean_ms),
            Metric(f"{prefix}_p50_ms", r.p50_ms),
            Metric(f"{prefix}_p95_ms", r.p95_ms),
            Metric(f"{prefix}_p99_ms", r.p99_ms),
        ]
    if results:
        largest = max(results, key=lambda r: r.batch_size)
        metrics.append(Metric("throughput_samples_per_sec", largest.throughput_per_sec))
    return metrics


class ModelStages:
    """Opens the final-training, benchmark and conversion runs of one trained model."""

    def __init__(self, stages: StageRuns, experiment_id: str) -> None:
        self._stages, self._experiment_id = stages, experiment_id

    def _key(self, section: str, name: str) -> str:
        return self._stages.registry.key(section, name)

    @contextmanager
    def _scoped(self, ctx: StageContext, tags: Mapping[str, str]) -> Iterator[StageRun]:
        with self._stages.scoped(self._stages.open(ctx, self._experiment_id, None, tags)) as run:
            yield run

    @contextmanager
    def final_training(self, ctx: StageContext, lineage: Lineage) -> Iterator[StageRun]:
        """Open the final-training run, tagged with its HPO lineage and grouping hashes."""
        ctx = ctx.evolve(
            kind=RunKind.FINAL_TRAINING,
            study_key_hash=ctx.study_key_hash or lineage.hpo_study_key_hash,
            trial_key_hash=ctx.trial_key_hash or lineage.hpo_trial_key_hash,
        )
        with self._scoped(ctx, lineage_tags(lineage, self._stages.registry)) as run:
            yield run

    @contextmanager
    def benchmark(
        self,
        ctx: StageContext,
        lineage: Lineage,
        source: str = "final_training",
        benchmark_key: str | None = None,
    ) -> Iterator[StageRun]:
        """Open a benchmark run; its lineage parent is the trial, else refit, else sweep."""
        tags = benchmark_lineage_tags(lineage, self._stages.registry)
        tags[self._key("benchmark", "source")] = source
        tags[self._key("benchmark", "model")] = ctx.model
        if benchmark_key:
            tags[self._key("benchmark", "key")] = benchmark_key
        with self._scoped(ctx.evolve(kind=RunKind.BENCHMARK), tags) as run:
            yield run

    def log_benchmark(
        self,
        stage: StageRun,
        results: Sequence[BenchmarkResult],
        iterations: int,
        warmup_iterations: int,
        max_length: int,
        device: str | None = None,
    ) -> None:
        """The benchmark's params and latency/throughput metrics, in one call.

        Nothing is written for a benchmark completed in an earlier attempt.
        """
        if stage.completed:
            return
        params = {
            "benchmark_batch_sizes": str([r.batch_size for r in results]),
            "benchmark_iterations": str(iterations),
            "benchmark_warmup_iterations": str(warmup_iterations),
            "benchmark_max_length": str(max_length),
            "benchmark_device": device or "auto",
        }
        self._stages.tracking.log_batch(
            stage.run_id, params=params, metrics=benchmark_metrics(results)
        )

    @contextmanager
    def conversion(
        self,
        ctx: StageContext,
        parent_training_run_id: str,
        conversion_format: str,
        quantization: str = "none",
        opset_version: int | None = None,
    ) -> Iterator[StageRun]:
        """Open a conversion run linked to the final-training run it converts."""
        tags = conversion_lineage_tags(
            parent_training_run_id, ctx.spec_fp, ctx.exec_fp, self._stages.registry
        )
        tags[self._key("conversion", "format")] = conversion_format
        tags[self._key("conversion", "quantization")] = quantization
        if opset_version is not None:
            tags[self._key("conversion", "opset_version")] = str(opset_version)
        with self._scoped(ctx.evolve(kind=RunKind.CONVERSION), tags) as run:
            yield run
