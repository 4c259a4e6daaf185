"""Seed-compatible readers of identity hashes, from a tag mapping or from a run.

Order: ``code.<x>_hash``, then the legacy ``code.grouping.<x>_hash``, then the key a
``<config_dir>/tags.yaml`` maps ``grouping.<x>_hash`` to.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trackwright.adapters.yaml_config import load_tag_registry
from trackwright.application.seed.store_selection import default_container
from trackwright.application.use_cases.run_views import tags_of
from trackwright.domain.error_codes import means_not_found
from trackwright.domain.errors import TrackingNotFoundError
from trackwright.domain.identity import hash_from_tags
from trackwright.domain.tags.keys import TagKeyRegistry


def _registry(config_dir: str | Path | None) -> TagKeyRegistry | None:
    return None if config_dir is None else load_tag_registry(Path(config_dir) / "tags.yaml")


def _run_tags(run_id: str, client: Any) -> Mapping[str, str] | None:
    source = client if client is not None else default_container().tracking()
    try:
        return tags_of(source.get_run(run_id))
    except TrackingNotFoundError:
        return None
    except Exception as exc:
        # An MlflowClient raises MlflowException; only "does not exist" means absent.
        if means_not_found(getattr(exc, "error_code", None)):
            return None
        raise


def get_study_key_hash_from_tags(
    tags: Mapping[str, str], config_dir: str | Path | None = None
) -> str | None:
    """The study key hash in ``tags``, or None (empty values count as absent)."""
    return hash_from_tags(tags, "study_key_hash", _registry(config_dir))


def get_trial_key_hash_from_tags(
    tags: Mapping[str, str], config_dir: str | Path | None = None
) -> str | None:
    """The trial key hash in ``tags``, or None (empty values count as absent)."""
    return hash_from_tags(tags, "trial_key_hash", _registry(config_dir))


def get_study_family_hash_from_tags(
    tags: Mapping[str, str], config_dir: str | Path | None = None
) -> str | None:
    """The study family hash in ``tags``, or None (empty values count as absent)."""
    return hash_from_tags(tags, "study_family_hash", _registry(config_dir))


def _from_run(name: str, run_id: str, client: Any, config_dir: str | Path | None) -> str | None:
    tags = _run_tags(run_id, client)
    return None if tags is None else hash_from_tags(tags, name, _registry(config_dir))


def get_study_key_hash_from_run(
    run_id: str, client: Any = None, config_dir: str | Path | None = None
) -> str | None:
    """The study key hash the run carries; None when it has none or does not exist.

    ``client`` is anything with ``get_run(run_id)``: an ``MlflowClient``, a tracking port,
    or None for the default container. Changes from the original: only "run does not
    exist" answers None; any other failure (backend down, bad tags file) raises instead of
    being logged at debug level and turned into None (W-31).
    """
    return _from_run("study_key_hash", run_id, client, config_dir)


def get_trial_key_hash_from_run(
    run_id: str, client: Any = None, config_dir: str | Path | None = None
) -> str | None:
    """The trial key hash the run carries; see ``get_study_key_hash_from_run``."""
    return _from_run("trial_key_hash", run_id, client, config_dir)


def get_study_family_hash_from_run(
    run_id: str, client: Any = None, config_dir: str | Path | None = None
) -> str | None:
    """The study family hash the run carries; see ``get_study_key_hash_from_run``."""
    return _from_run("study_family_hash", run_id, client, config_dir)
