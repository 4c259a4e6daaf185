"""The CLI's promises for bad input: settings, usage errors, lost users, hostile names."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from trackwright.adapters.mlflow_store import MlflowTracking

pytestmark = pytest.mark.sqlite


def _one_line(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trackwright: "), result.stderr
    return lines[0]


def test_the_cli_honours_the_retry_setting_of_the_library(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("TRACKWRIGHT_RETRY_ATTEMPTS", "1")
    line = _one_line(cli("tree", "x", uri=f"http://127.0.0.1:{port}"), 2)
    assert "after 1 attempt(s)" in line


def test_a_tags_file_that_does_not_exist_is_exit_2(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRACKWRIGHT_TAGS_FILE", str(tmp_path / "no-such-tags.yaml"))
    assert "does not exist" in _one_line(cli("tree", "x"), 2)


def test_a_malformed_setting_is_exit_2_naming_the_setting(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKWRIGHT_RETRY_ATTEMPTS", "many")
    assert "retry_attempts" in _one_line(cli("tree", "x"), 2)


@pytest.mark.parametrize("run_id", ["not-an-id", "not a run!", "0" * 31, "g" * 32])
def test_lineage_of_something_that_is_not_a_run_id_is_exit_2(cli: Any, run_id: str) -> None:
    assert "is not a run id" in _one_line(cli("lineage", run_id), 2)


def test_a_well_formed_run_id_that_does_not_exist_is_exit_1(cli: Any) -> None:
    _one_line(cli("lineage", "0" * 32), 1)


def test_find_without_any_criterion_is_a_usage_error(cli: Any, sqlite_uri: str) -> None:
    MlflowTracking(sqlite_uri).create_experiment("exp")
    assert "needs a criterion" in _one_line(cli("find", "--experiment", "exp"), 2)


def test_tree_of_an_unknown_experiment_lists_the_ones_that_exist(cli: Any, sqlite_uri: str) -> None:
    tracking = MlflowTracking(sqlite_uri)
    tracking.create_experiment("ner-hpo-bert")
    line = _one_line(cli("tree", "ner-hpo-brt"), 1)
    assert "'ner-hpo-bert'" in line and "experiments there" in line


def test_the_demo_prints_its_experiment_names(cli: Any) -> None:
    result = cli("demo", "--trials", "1", "--folds", "1", "--backbones", "bert")
    assert result.exit_code == 0, result.output
    assert "trackwright-demo-models, trackwright-demo-hpo-bert" in result.stdout
    assert "trackwright tree trackwright-demo-hpo-bert" in result.stdout
    as_json = json.loads(cli("--json", "demo", "--trials", "1", "--folds", "1").stdout)
    assert "trackwright-demo-models" in as_json["experiments"]


HOSTILE = "evil\x1b[2J\x07\x00name\nsecond line\u202etxt"


def test_stored_control_characters_are_shown_escaped_never_sent(cli: Any, sqlite_uri: str) -> None:
    tracking = MlflowTracking(sqlite_uri)
    experiment = tracking.create_experiment("shared")
    tracking.create_run(experiment, HOSTILE, {"code.run_type": "sweep\x1b]0;pwned\x07"})
    result = cli("tree", "shared")
    assert result.exit_code == 0
    shown = result.stdout
    assert not any(c in shown for c in "\x1b\x07\x00\u202e")
    assert shown.count("\n") == 1
    assert "evil\\x1b[2J\\x07\\x00name\\nsecond line\\u202etxt" in shown
    as_json = json.loads(cli("--json", "tree", "shared").stdout)
    assert as_json[0]["name"] == HOSTILE


def test_a_failure_message_with_stored_text_is_escaped_too(cli: Any) -> None:
    line = _one_line(cli("tree", "gone\x1b[2J"), 2)
    assert "\x1b" not in line and "control characters" in line
