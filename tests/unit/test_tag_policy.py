"""Tag rules and the tag policy: limits, normalisation, precedence, Azure ML detection."""

from __future__ import annotations

import pytest

from trackwright.domain.errors import InvalidRunNameError, TagPolicyViolationError
from trackwright.domain.tags.azure_ml import is_azure_ml_uri
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.policy import (
    ChildRunSpec,
    TagPolicy,
    validated_run_name,
)
from trackwright.domain.tags.rules import (
    MAX_TAG_VALUE_LENGTH,
    key_violations,
    shorten_free_text,
    tag_violations,
)

AZURE = "azureml://eastus.api.azureml.ms/mlflow/v2.0/subscriptions/s/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/ws"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (AZURE, True),
        ("AzureML://host/x", True),
        ("sqlite:////home/me/resume-ner-azureml/mlruns/mlflow.db", False),
        ("file:///tmp/azureml/mlruns", False),
        ("http://azureml.internal:5000", False),
        ("", False),
        (None, False),
    ],
)
def test_azure_ml_is_detected_by_scheme_only(uri: str | None, expected: bool) -> None:
    assert is_azure_ml_uri(uri) is expected


def test_azure_child_runs_get_the_trial_tags() -> None:
    policy = TagPolicy(TagKeyRegistry.defaults(), AZURE)
    tags = policy.child_run_tags(ChildRunSpec("p" * 32, "n", 3, 1))
    assert tags["azureml.runType"] == "trial" and tags["azureml.trial"] == "true"


def test_local_child_runs_do_not_get_azure_tags() -> None:
    policy = TagPolicy(TagKeyRegistry.defaults(), "sqlite:////x/resume-ner-azureml/mlflow.db")
    tags = policy.child_run_tags(ChildRunSpec("p" * 32, "n", 3, None))
    assert "azureml.runType" not in tags and "fold_idx" not in tags


def test_caller_tags_win_except_reserved_keys() -> None:
    policy = TagPolicy(TagKeyRegistry.defaults())
    tags = policy.child_run_tags(
        ChildRunSpec("p" * 32, "n", 3), {"trial_number": "override", "mlflow.runName": "n"}
    )
    assert tags["trial_number"] == "override" and tags["mlflow.runName"] == "n"
    with pytest.raises(TagPolicyViolationError, match="reserved"):
        policy.child_run_tags(ChildRunSpec("p" * 32, "n"), {"mlflow.runName": "X"})


def test_overridden_registry_keys_are_what_the_policy_writes() -> None:
    registry = TagKeyRegistry.with_overrides({"legacy": {"trial_number": "code.trial"}})
    tags = TagPolicy(registry).child_run_tags(ChildRunSpec("p" * 32, "n", 5))
    assert tags["code.trial"] == "5" and "trial_number" not in tags


def test_one_violation_error_lists_every_broken_rule() -> None:
    _, problems = tag_violations({"a!": "x", "b": None, "c" * 300: "y", "ok": "fine"})
    assert len(problems) == 3


@pytest.mark.parametrize(
    "key", ["code.study_key_hash", "with-dash", "with space", "a/b", "colon:key", "x" * 250]
)
def test_keys_mlflow_accepts_are_accepted(key: str) -> None:
    assert key_violations(key) == []


@pytest.mark.parametrize("key", ["", "a!", "x" * 251, "/abs", "a/../b", "./a", "tab\tkey"])
def test_keys_mlflow_rejects_are_rejected(key: str) -> None:
    assert key_violations(key)


def test_shortened_free_text_fits_and_says_how_much_was_cut() -> None:
    text = "e" * 20_000
    short = shorten_free_text(text)
    assert len(short) <= MAX_TAG_VALUE_LENGTH and short.endswith("more characters cut]")
    assert shorten_free_text("short") == "short"


@pytest.mark.parametrize("name", [None, "", "  ", 5, "n" * 257])
def test_bad_run_names_raise_a_value_error_subclass(name: object) -> None:
    with pytest.raises(InvalidRunNameError) as info:
        validated_run_name(name)
    assert isinstance(info.value, ValueError)


def test_run_names_are_stripped() -> None:
    assert validated_run_name("  trial_1 ") == "trial_1"
