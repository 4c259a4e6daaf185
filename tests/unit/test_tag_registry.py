"""The tag-key registry: defaults, overrides from YAML, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from trackwright.adapters.yaml_config import load_tag_registry
from trackwright.domain.errors import TagKeyError, TagRegistryConfigError
from trackwright.domain.tags.keys import DEFAULT_TAG_KEYS, EXTRA_TAG_KEYS, TagKeyRegistry


def test_defaults_cover_all_53_original_keys_with_distinct_values() -> None:
    keys = [key for entries in DEFAULT_TAG_KEYS.values() for key in entries.values()]
    assert len(keys) == 53 and len(set(keys)) == 53


def test_defaults_include_the_sections_the_original_defaults_missed() -> None:
    registry = TagKeyRegistry.defaults()
    assert registry.key("study", "key_schema_version") == "code.study.key_schema_version"
    assert registry.key("fingerprint", "data") == "code.fingerprint.data"
    assert registry.key("objective", "direction") == "code.objective.direction"
    assert registry.key("artifact", "available") == "code.artifact.available"
    assert registry.schema_version == 0


def test_keys_written_outside_the_original_registry_are_registered() -> None:
    registry = TagKeyRegistry.defaults()
    extra = {key for entries in EXTRA_TAG_KEYS.values() for key in entries.values()}
    assert {
        "mlflow.runName",
        "fold_idx",
        "azureml.trial",
        "code.refit_error",
        "interrupted",
    } <= extra
    assert extra <= registry.all_keys()


def test_missing_key_raises_a_key_error_with_the_original_message() -> None:
    with pytest.raises(KeyError) as info:
        TagKeyRegistry.defaults().key("nosuch", "x")
    assert isinstance(info.value, TagKeyError)
    assert str(info.value) == "Missing tag key: nosuch.x"


def test_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    file = tmp_path / "tags.yaml"
    file.write_text("schema_version: 1\ngrouping:\n  study_key_hash: custom.study_key_hash\n")
    registry = load_tag_registry(file)
    assert registry.key("grouping", "study_key_hash") == "custom.study_key_hash"
    assert registry.key("grouping", "trial_key_hash") == "code.trial_key_hash"
    assert registry.schema_version == 1


def test_missing_or_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    empty = tmp_path / "tags.yaml"
    empty.write_text("")
    assert load_tag_registry(empty) == TagKeyRegistry.defaults()
    assert load_tag_registry(tmp_path / "absent.yaml") == TagKeyRegistry.defaults()
    assert load_tag_registry(None) == TagKeyRegistry.defaults()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("grouping: [unclosed", "not valid YAML"),
        ("- a list", "mapping of sections"),
        ("grouping: not-a-mapping", "is not a mapping"),
        ("grouping:\n  study_key_hash: 5", "is not a string"),
        ("grouping:\n  study_key_hash: 'bad key!'", "characters MLflow rejects"),
        ("schema_version: one", "schema_version must be an integer"),
    ],
)
def test_broken_files_are_reported_when_loaded(tmp_path: Path, content: str, fragment: str) -> None:
    file = tmp_path / "tags.yaml"
    file.write_text(content)
    with pytest.raises(TagRegistryConfigError, match=fragment):
        load_tag_registry(file)
