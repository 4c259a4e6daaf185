"""``trackwright``: the command group and the read-only commands (tree, find, lineage, best)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from trackwright.application.cli.demo import demo
from trackwright.application.cli.render import as_dict, line, tree, tree_lines
from trackwright.application.cli.session import (
    DEFAULT_STORE,
    NothingFoundError,
    Session,
    UsageError,
    quiet_library_logs,
    reported_failures,
)
from trackwright.domain.errors import InvalidRunIdError
from trackwright.domain.finding.lookup import (
    FUZZY_STRATEGIES,
    FindRequest,
    RunLookupReport,
    StrategyAttempt,
)
from trackwright.domain.model import looks_like_run_id
from trackwright.domain.tags.azure_ml import is_azure_ml_uri

if TYPE_CHECKING:  # loaded when a command runs, so `trackwright --help` stays quick
    from trackwright.application.use_cases.lineage_query import LineageStep


@click.group()
@click.option(
    "--tracking-uri",
    envvar="MLFLOW_TRACKING_URI",
    default=DEFAULT_STORE,
    show_default=True,
    help="The MLflow store (MLFLOW_TRACKING_URI when set).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--verbose", "-v", is_flag=True, help="Also print the library's log lines.")
@click.pass_context
def main(ctx: click.Context, tracking_uri: str, as_json: bool, verbose: bool) -> None:
    """Create, tag, link and find MLflow runs of HPO sweeps and what comes after them.

    Settings come from the environment as for the library (TRACKWRIGHT_RETRY_ATTEMPTS,
    TRACKWRIGHT_TAGS_FILE, ...). Exit codes: 0 done, 1 nothing found, 2 the command
    cannot run as asked.
    """
    quiet_library_logs(verbose)
    ctx.call_on_close(lambda: logging.disable(logging.NOTSET))  # in-process callers get it back
    creates = ctx.invoked_subcommand == "demo"
    ctx.obj = Session(tracking_uri, as_json, creates_store=creates, verbose=verbose)


_GENERATED_RUN_ID = re.compile(
    r"^(?:[0-9a-f]{32}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$"
)


def _checked_run_id(session: Session, run_id: str) -> str:
    """MLflow's stores make 32-hex run ids; Azure ML's may be any MLflow-valid id."""
    generated = _GENERATED_RUN_ID.match(run_id) is not None
    if not looks_like_run_id(run_id) or not (generated or is_azure_ml_uri(session.tracking_uri)):
        raise InvalidRunIdError(f"{run_id!r} is not a run id (32 hexadecimal characters)")
    return run_id


@main.command("tree")
@click.argument("experiment")
@click.option("--metric", default=None, help="The metric to show (default: the first known).")
@click.pass_obj
def tree_command(session: Session, experiment: str, metric: str | None) -> None:
    """Show the run hierarchy of EXPERIMENT: kind, status, key metric, name, run id."""
    from trackwright.domain.finding.query import RunQuery

    with reported_failures():
        query = RunQuery(experiment_ids=(session.experiment_id(experiment),))
        runs = session.container.tracking().search_runs(query).runs
        if not runs:
            raise NothingFoundError(f"experiment {experiment!r} has no runs")
        payload = [{**as_dict(r, metric), "depth": d} for d, r in tree(runs)]
        session.emit(payload, lambda: tree_lines(runs, metric))


def _report_lines(report: RunLookupReport) -> Iterator[str]:
    yield f"found: {report.found}" + (
        f"  run {report.run_id} via {report.strategy_used}" if report.found else ""
    )
    for attempt in report.strategies_attempted:
        yield f"  tried {attempt.strategy}: {attempt.outcome}"
    if report.error:
        yield f"error: {report.error}"


@main.command("find")
@click.option("--experiment", required=True, help="The experiment the run belongs to.")
@click.option("--run-id", default=None, help="A run id to check.")
@click.option("--run-key-hash", default=None, help="sha256 of the run key (code.run_key_hash).")
@click.option("--trial-id", default=None, help="The code.trial_id of an HPO trial.")
@click.option(
    "--tag", "tags", multiple=True, metavar="KEY=VALUE", help="Tag equality (repeatable)."
)
@click.option(
    "--fuzzy", multiple=True, type=click.Choice(FUZZY_STRATEGIES), help="Enable a fuzzy strategy."
)
@click.pass_obj
def find_command(
    session: Session,
    experiment: str,
    run_id: str | None,
    run_key_hash: str | None,
    trial_id: str | None,
    tags: tuple[str, ...],
    fuzzy: tuple[str, ...],
) -> None:
    """Find one run and print the finder's report (exit 1 when nothing is found)."""
    pairs = dict(_tag_pair(t) for t in tags)
    with reported_failures():
        if not (run_id or run_key_hash or trial_id or pairs or fuzzy):
            raise UsageError(
                "find needs a criterion: --run-id, --run-key-hash, --trial-id, --tag or --fuzzy"
            )
        if trial_id:
            report = _by_trial_id(session, experiment, trial_id)
            session.emit(report_dict(report), lambda: _report_lines(report))
            raise SystemExit(0 if report.found else 1)
        request = FindRequest(
            session.experiment_id(experiment),
            run_id=run_id,
            run_key_hash=run_key_hash,
            context_tags=pairs,
            fuzzy=tuple(fuzzy) + (("tag_context",) if pairs else ()),
            experiment_label=experiment,
        )
        report = session.container.run_finder().find(request)
        session.emit(report_dict(report), lambda: _report_lines(report))
        if not report.found:
            raise SystemExit(1)


def _by_trial_id(session: Session, experiment: str, trial_id: str) -> RunLookupReport:
    run = session.container.run_queries().latest_by_trial_id(
        trial_id, [session.experiment_id(experiment)]
    )
    outcome = (
        f"found run {run.run_id}" if run else "no run with this trial id that was not interrupted"
    )
    attempts = (StrategyAttempt("trial_id_tag_search", outcome),)
    if run is None:
        return RunLookupReport(
            False, None, None, attempts, f"No run found with trial_id={trial_id!r}"
        )
    return RunLookupReport(True, run.run_id, "trial_id_tag_search", attempts)


def _tag_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--tag")
    return key, value


def report_dict(report: RunLookupReport) -> dict[str, object]:
    """The finder's report as JSON-ready data."""
    return {
        "found": report.found,
        "run_id": report.run_id,
        "strategy_used": report.strategy_used,
        "strategies_attempted": [
            {"strategy": a.strategy, "outcome": a.outcome} for a in report.strategies_attempted
        ],
        "error": report.error,
    }


@main.command("lineage")
@click.argument("run_id")
@click.option("--down", is_flag=True, help="Show what derives from RUN_ID instead.")
@click.option(
    "--experiment", "experiments", multiple=True, help="Also search this experiment (with --down)."
)
@click.pass_obj
def lineage_command(
    session: Session, run_id: str, down: bool, experiments: tuple[str, ...]
) -> None:
    """Walk from RUN_ID up to its sweep, or with --down to everything derived from it."""
    with reported_failures():
        query = session.container.lineage()
        if down:
            ids = [session.experiment_id(name) for name in experiments]
            steps = query.down(_checked_run_id(session, run_id), ids)
            if not steps:
                raise NothingFoundError(f"nothing derives from run {run_id}")
        else:
            steps = query.up(_checked_run_id(session, run_id))
        payload = [{**as_dict(s.run), "via": s.via} for s in steps]
        session.emit(payload, lambda: _lineage_lines(steps, down))


def _lineage_lines(steps: list[LineageStep], down: bool) -> Iterator[str]:
    for depth, step in enumerate(steps):
        via = f"  (via {step.via})" if step.via else ""
        yield line(step.run, 0 if down else depth) + via


@main.command("best")
@click.argument("experiment")
@click.option("--metric", required=True, help="The metric to compare.")
@click.option("--min", "minimize", is_flag=True, help="Lower is better.")
@click.pass_obj
def best_command(session: Session, experiment: str, metric: str, minimize: bool) -> None:
    """The FINISHED run of EXPERIMENT with the best METRIC (exit 1 when none has it)."""
    from trackwright.domain.finding.queries import best_run_by_metric

    with reported_failures():
        runs = session.container.run_queries().finished_with_tags(
            [session.experiment_id(experiment)], {}
        )
        best = best_run_by_metric(runs, metric, maximize=not minimize)
        if best is None:
            raise NothingFoundError(f"no FINISHED run of {experiment!r} has the metric {metric!r}")
        session.emit(as_dict(best, metric), lambda: iter([line(best, 0, metric)]))


main.add_command(demo)
