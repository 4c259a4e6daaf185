"""The pytest plugin, used the way a training app uses it: from a throwaway test module."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TRAINING_APP_TEST = """
import sys

from trackwright import application


def train(container, folds):
    sweep = container.runs().create_standalone("ner-hpo", "sweep")
    for fold in range(folds):
        application.create_child_run_core(sweep.run_id, f"fold{fold}", fold_idx=fold)
    return sweep


def test_training_creates_one_child_per_fold(trackwright_container, trackwright_fake):
    sweep = train(trackwright_container, folds=3)
    assert trackwright_fake.calls["create_run"] == 4
    assert "mlflow" not in sys.modules


def test_each_test_gets_a_fresh_fake(trackwright_fake):
    assert trackwright_fake.call_count == 0
"""


def test_a_training_apps_tests_swap_in_the_fake_with_one_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_training_app=TRAINING_APP_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=2)
