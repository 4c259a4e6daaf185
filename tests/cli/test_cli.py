"""The ``trackwright`` command line on a real sqlite store: output, JSON and exit codes."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from click.testing import Result

pytestmark = pytest.mark.sqlite


@pytest.fixture
def recorded(cli: Any) -> dict[str, Any]:
    result = cli(
        "--json",
        "demo",
        "--backbones",
        "bert-base",
        "--trials",
        "2",
        "--folds",
        "2",
        "--experiment-prefix",
        "cli",
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_records_the_pipeline_and_rerunning_adds_nothing(cli: Any) -> None:
    first = cli("demo")
    assert first.exit_code == 0
    assert "42 runs recorded" in first.stdout
    assert "mlflow ui --backend-store-uri sqlite:///" in first.stdout
    assert "sweep: 4 trials x 3 folds" in first.stderr
    again = cli("--json", "demo")
    assert again.exit_code == 0 and json.loads(again.stdout)["run_count"] == 42


def test_tree_shows_the_hierarchy(cli: Any, recorded: dict[str, Any]) -> None:
    result = cli("tree", "cli-hpo-bert")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert (
        lines[0].startswith("sweep ")
        and lines[1].startswith("  trial ")
        and lines[2].startswith("    fold ")
    )
    assert len(lines) == 1 + 2 + 4 + 1
    as_json = json.loads(cli("--json", "tree", "cli-hpo-bert").stdout)
    assert [r["depth"] for r in as_json][:3] == [0, 1, 2]


def test_lineage_walks_up_from_the_conversion(cli: Any, recorded: dict[str, Any]) -> None:
    conversion = recorded["conversions"]["bert-base"]
    result = cli("--json", "lineage", conversion)
    assert [step["kind"] for step in json.loads(result.stdout)] == [
        "conversion",
        "final_training",
        "refit",
        "trial",
        "sweep",
    ]
    down = cli(
        "--json", "lineage", recorded["sweeps"]["bert-base"], "--down", "--experiment", "cli-models"
    )
    assert conversion in {s["run_id"] for s in json.loads(down.stdout)}


def test_find_by_run_id_tags_and_trial_id(cli: Any, recorded: dict[str, Any]) -> None:
    sweep = recorded["sweeps"]["bert-base"]
    by_id = json.loads(
        cli("--json", "find", "--experiment", "cli-hpo-bert", "--run-id", sweep).stdout
    )
    assert by_id["found"] and by_id["strategy_used"] == "direct_run_id"
    by_tag = cli("find", "--experiment", "cli-hpo-bert", "--tag", "code.run_type=sweep")
    assert by_tag.exit_code == 0 and sweep in by_tag.stdout and "tried tag_context" in by_tag.stdout
    trial = next(r for r in recorded["runs"] if r["kind"] == "trial")
    trial_id = cli("--json", "tree", "cli-hpo-bert")
    assert trial_id.exit_code == 0
    missing = cli("find", "--experiment", "cli-hpo-bert", "--trial-id", "trial_99")
    assert missing.exit_code == 1 and "found: False" in missing.stdout
    assert trial["run_id"]


def test_best_picks_the_highest_and_with_min_the_lowest(cli: Any, recorded: dict[str, Any]) -> None:
    high = json.loads(cli("--json", "best", "cli-hpo-bert", "--metric", "macro-f1").stdout)
    low = json.loads(cli("--json", "best", "cli-hpo-bert", "--metric", "macro-f1", "--min").stdout)
    assert high["metric"]["value"] >= low["metric"]["value"]
    none = cli("best", "cli-hpo-bert", "--metric", "no-such-metric")
    assert none.exit_code == 1 and none.stderr.startswith("trackwright: ")


def _one_clean_line(result: Result) -> None:
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unknown_experiment_is_exit_1(cli: Any) -> None:
    result = cli("tree", "no-such-experiment")
    assert result.exit_code == 1
    _one_clean_line(result)


def test_malformed_run_id_is_exit_2(cli: Any) -> None:
    result = cli("lineage", "not a run!")
    assert result.exit_code == 2
    _one_clean_line(result)


def test_bad_usage_is_exit_2(cli: Any) -> None:
    assert cli("demo", "--trials", "0").exit_code == 2
    assert cli("demo", "--backbones", " , ").exit_code == 2
    assert cli("best", "x").exit_code == 2
    assert cli("find", "--experiment", "x", "--tag", "novalue").exit_code == 2
    assert cli("nosuchcommand").exit_code == 2


def test_unreachable_server_and_bad_uri_are_exit_2_without_credentials(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = cli("tree", "x", uri=f"http://bob:hunter2@127.0.0.1:{port}")
    assert down.exit_code == 2
    _one_clean_line(down)
    assert "hunter2" not in down.stderr
    bad = cli("tree", "x", uri="nosuchscheme://somewhere")
    assert bad.exit_code == 2
    _one_clean_line(bad)
