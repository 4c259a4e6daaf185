"""``trackwright demo``: the simulated pipeline on a real store, then its run tree."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

import click

from trackwright.application.cli.render import as_dict, terminal_safe, tree, tree_lines
from trackwright.application.cli.session import Session, reported_failures
from trackwright.domain.links import without_credentials
from trackwright.domain.model import Run


@click.command()
@click.option(
    "--backbones",
    default="distilbert-base-uncased,deberta-v3-small",
    show_default=True,
    help="Comma-separated backbones.",
)
@click.option("--trials", default=4, show_default=True, type=click.IntRange(1, 100))
@click.option("--folds", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option("--experiment-prefix", default="trackwright-demo", show_default=True)
@click.pass_obj
def demo(session: Session, backbones: str, trials: int, folds: int, experiment_prefix: str) -> None:
    """Record a simulated NER training pipeline (re-running resumes it), then show it."""
    names = tuple(b.strip() for b in backbones.split(",") if b.strip())
    if not names:
        raise click.BadParameter("give at least one backbone", param_hint="--backbones")
    started = time.monotonic()

    def progress(message: str) -> None:
        click.echo(terminal_safe(f"[{time.monotonic() - started:6.1f}s] {message}"), err=True)

    with reported_failures():
        from trackwright.application.use_cases.pipeline import PipelineConfig, SimulatedPipeline
        from trackwright.domain.finding.query import RunQuery

        pipeline = SimulatedPipeline(
            session.stage_runs(), session.container.experiments(), progress
        )
        result = pipeline.run(PipelineConfig(names, trials, folds, experiment_prefix))
        runs = (
            session.container.tracking()
            .search_runs(RunQuery(experiment_ids=tuple(result.experiment_ids)))
            .runs
        )
        progress(f"done: {len(runs)} runs in {len(result.experiment_ids)} experiments")
        ui = f"mlflow ui --backend-store-uri {without_credentials(session.tracking_uri)}"
        experiments = result.experiment_names
        payload = {
            "runs": [{**as_dict(r), "depth": d} for d, r in tree(runs)],
            "run_count": len(runs),
            "experiments": experiments,
            "sweeps": result.sweeps,
            "conversions": result.conversions,
            "browse": ui,
        }
        session.emit(payload, lambda: _summary(runs, experiments, ui))


def _summary(runs: Sequence[Run], experiments: Sequence[str], ui: str) -> Iterator[str]:
    yield from tree_lines(runs)
    yield ""
    yield f"{len(runs)} runs recorded in the experiments {', '.join(experiments)}."
    yield f"Show one with:  trackwright tree {experiments[-1]}" if experiments else ""
    yield "Browse them with:"
    yield f"  {ui}"
