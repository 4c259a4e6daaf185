"""The subprocess run context round-trips through the environment, typed and lookup-free."""

from __future__ import annotations

import pytest

from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import TrackwrightSettings, build_container
from trackwright.domain.subprocess_context import ENV_VAR, RunContextError, SubprocessRunContext


def test_context_round_trips_through_the_environment() -> None:
    context = SubprocessRunContext(
        tracking_uri="http://u:p@127.0.0.1:5000",
        experiment_id="3",
        parent_run_id="a" * 32,
        trial_number=2,
        fold_idx=1,
    )
    env = context.to_env()
    assert "MLFLOW_RUN_ID" not in env and "MLFLOW_PARENT_RUN_ID" not in env
    assert env["MLFLOW_EXPERIMENT_ID"] == "3"
    assert SubprocessRunContext.from_env(env) == context
    assert "u:p" not in repr(context) and "u:p" not in env[ENV_VAR]


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "{not json",
        '{"experiment_id": "1"}',
        '{"tracking_uri": "x", "experiment_id": "1", "fold_idx": -1}',
    ],
)
def test_missing_or_malformed_context_is_a_typed_error(raw: str | None) -> None:
    env = {} if raw is None else {ENV_VAR: raw}
    with pytest.raises(RunContextError):
        SubprocessRunContext.from_env(env)


def test_a_subprocess_creates_its_child_run_with_one_call() -> None:
    fake = InMemoryTracking()
    container = build_container(TrackwrightSettings(backend="memory"))
    container.backend.override(fake)
    parent = container.runs().create_standalone("exp", "sweep")
    env = SubprocessRunContext(
        tracking_uri="memory://",
        experiment_id=parent.experiment_id,
        parent_run_id=parent.run_id,
        trial_number=0,
        fold_idx=2,
    ).to_env()
    context = SubprocessRunContext.from_env(env)
    fake.reset_calls()
    assert context.parent is not None
    child = container.runs().create_child(
        context.parent, "fold2", trial_number=context.trial_number, fold_idx=context.fold_idx
    )
    assert fake.calls == {"create_run": 1}
    assert child.parent_run_id == parent.run_id and child.tags["fold_idx"] == "2"


def test_a_malformed_context_error_does_not_echo_the_uri() -> None:
    env = {
        ENV_VAR: '{"experiment_id": "", "fold_idx": -1}',
        "MLFLOW_TRACKING_URI": "https://u:s3cret@h",
    }
    with pytest.raises(RunContextError) as info:
        SubprocessRunContext.from_env(env)
    assert "s3cret" not in str(info.value) and "fold_idx" in str(info.value)


def test_settings_and_their_repr_hide_the_uri() -> None:
    from trackwright.application import TrackwrightSettings

    assert "s3cret" not in repr(TrackwrightSettings(tracking_uri="https://u:s3cret@h"))
