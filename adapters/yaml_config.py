"""Loading the tag-key registry's overrides from a YAML file (``tags.yaml`` format)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from trackwright.domain.errors import TagRegistryConfigError
from trackwright.domain.tags.keys import TagKeyRegistry

logger = logging.getLogger(__name__)


def load_tag_registry(path: str | Path | None, *, missing_ok: bool = True) -> TagKeyRegistry:
    """The registry: built-in keys, overridden by the file's entries when a file is given.

    A missing file gives the defaults (logged at INFO) when ``missing_ok``, as for the
    optional ``<config_dir>/tags.yaml``; a file the user named (``TRACKWRIGHT_TAGS_FILE``)
    must exist. An empty file counts as no overrides (the original crashed on one).

    Raises:
        TagRegistryConfigError: The file is not valid YAML, not a mapping, has a
            non-integer ``schema_version``, or holds an invalid tag key; or it does not
            exist and ``missing_ok`` is False.
    """
    if path is None:
        return TagKeyRegistry.defaults()
    file = Path(path)
    if not file.is_file() and not missing_ok:
        raise TagRegistryConfigError(f"the tag-key file {file} does not exist")
    if not file.is_file():
        logger.info("no tag-key file at %s; using the built-in keys", file)
        return TagKeyRegistry.defaults()
    try:
        raw: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TagRegistryConfigError(f"{file} is not valid YAML: {exc}") from exc
    if raw is None:
        return TagKeyRegistry.defaults()
    if not isinstance(raw, dict):
        raise TagRegistryConfigError(f"{file} must hold a mapping of sections")
    version = raw.pop("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise TagRegistryConfigError(f"{file}: schema_version must be an integer, got {version!r}")
    return TagKeyRegistry.with_overrides(raw, schema_version=version)
