"""The seed's hash readers: from a tag mapping, and from a run through any client."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from trackwright import application
from trackwright.adapters.memory import InMemoryTracking
from trackwright.application import TrackwrightSettings, build_container, use_container
from trackwright.domain.errors import TrackingUnavailableError
from trackwright.domain.model import Run

HASHES = {
    "code.study_key_hash": "s" * 64,
    "code.grouping.trial_key_hash": "t" * 64,
    "code.study_family_hash": "f" * 64,
}


@pytest.fixture
def run(fake: InMemoryTracking) -> Run:
    return fake.create_run(fake.create_experiment("e"), "r", HASHES)


@pytest.fixture
def bound(fake: InMemoryTracking) -> Iterator[InMemoryTracking]:
    container = build_container(TrackwrightSettings(backend="memory"))
    container.backend.override(fake)
    use_container(container)
    yield fake
    use_container(None)


@pytest.mark.parametrize("name", ["study_key_hash", "trial_key_hash", "study_family_hash"])
def test_readers_keep_the_seed_argument_shapes(name: str) -> None:
    from_tags = inspect.signature(getattr(application, f"get_{name}_from_tags"))
    from_run = inspect.signature(getattr(application, f"get_{name}_from_run"))
    assert list(from_tags.parameters)[:1] == ["tags"]
    assert list(from_run.parameters)[:2] == ["run_id", "client"]


def test_tag_readers_take_code_keys_then_legacy_grouping_keys() -> None:
    assert application.get_study_key_hash_from_tags(HASHES) == "s" * 64
    assert application.get_trial_key_hash_from_tags(HASHES) == "t" * 64
    assert application.get_study_family_hash_from_tags(HASHES) == "f" * 64
    assert application.get_study_key_hash_from_tags({}) is None


def test_a_tags_file_in_config_dir_adds_a_renamed_key(tmp_path: Path) -> None:
    (tmp_path / "tags.yaml").write_text("grouping:\n  study_key_hash: my.study\n")
    tags = {"my.study": "m" * 64}
    assert application.get_study_key_hash_from_tags(tags, tmp_path) == "m" * 64
    assert application.get_study_key_hash_from_tags(tags) is None


def test_run_readers_accept_a_tracking_port_as_client(fake: InMemoryTracking, run: Run) -> None:
    assert application.get_study_key_hash_from_run(run.run_id, fake) == "s" * 64
    assert application.get_trial_key_hash_from_run(run.run_id, fake) == "t" * 64
    assert application.get_study_family_hash_from_run(run.run_id, fake) == "f" * 64


def test_a_run_that_does_not_exist_has_no_hash(fake: InMemoryTracking) -> None:
    assert application.get_study_key_hash_from_run("0" * 32, fake) is None


def test_without_a_client_the_default_container_is_used(bound: InMemoryTracking, run: Run) -> None:
    assert application.get_trial_key_hash_from_run(run.run_id) == "t" * 64


class _Unreachable:
    def get_run(self, run_id: str) -> Run:
        raise TrackingUnavailableError("connection refused", operation="get_run")


def test_a_backend_failure_is_raised_not_turned_into_none() -> None:
    with pytest.raises(TrackingUnavailableError):
        application.get_study_key_hash_from_run("a" * 32, _Unreachable())
