"""Ending runs writes the tags even when the run had already ended (W-11). Every backend."""

from __future__ import annotations

import pytest

from trackwright.application import Container
from trackwright.domain.errors import TagPolicyViolationError
from trackwright.domain.model import RunStatus

pytestmark = pytest.mark.contract


def test_a_running_run_gets_its_tags_and_status(container: Container, unique_name: str) -> None:
    run = container.runs().create_standalone(unique_name, "refit")
    outcome = container.lifecycle().end(run.run_id, RunStatus.FAILED, {"code.refit_error": "oom"})
    stored = container.backend().get_run(run.run_id)
    assert (stored.status, stored.tags["code.refit_error"]) == (RunStatus.FAILED, "oom")
    assert outcome.status_changed and outcome.tags_written == ("code.refit_error",)


def test_an_ended_run_keeps_its_status_but_still_gets_the_tags(
    container: Container, unique_name: str
) -> None:
    run = container.runs().create_standalone(unique_name, "refit")
    container.backend().set_terminated(run.run_id, RunStatus.FINISHED)
    outcome = container.lifecycle().end(run.run_id, RunStatus.FAILED, {"code.refit_error": "late"})
    stored = container.backend().get_run(run.run_id)
    assert (stored.status, stored.tags["code.refit_error"]) == (RunStatus.FINISHED, "late")
    assert not outcome.status_changed and outcome.previous_status is RunStatus.FINISHED
    assert not outcome.matches_request


def test_a_scheduled_run_is_ended(container: Container, unique_name: str) -> None:
    run = container.runs().create_standalone(unique_name, "queued")
    container.backend().set_terminated(run.run_id, RunStatus.SCHEDULED)
    outcome = container.lifecycle().end(run.run_id)
    assert outcome.final_status is RunStatus.FINISHED
    assert container.backend().get_run(run.run_id).status is RunStatus.FINISHED


def test_bad_tags_are_refused_before_the_run_is_touched(
    container: Container, unique_name: str
) -> None:
    run = container.runs().create_standalone(unique_name, "r")
    with pytest.raises(TagPolicyViolationError):
        container.lifecycle().end(run.run_id, RunStatus.FINISHED, {"bad key!": "x"})
    assert container.backend().get_run(run.run_id).status is RunStatus.RUNNING


def test_reserved_tags_cannot_be_changed_when_ending(
    container: Container, unique_name: str
) -> None:
    run = container.runs().create_standalone(unique_name, "r")
    with pytest.raises(TagPolicyViolationError, match="reserved"):
        container.lifecycle().end(run.run_id, RunStatus.FINISHED, {"mlflow.parentRunId": "a" * 32})
    assert container.backend().get_run(run.run_id).parent_run_id is None


def test_end_safely_answers_none_when_the_backend_refuses(container: Container) -> None:
    assert container.lifecycle().end_safely("0" * 32) is None
