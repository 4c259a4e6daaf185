"""Reading identity hashes back from a run's tags.

Order: ``code.<name>`` first, then the legacy ``code.grouping.<name>``, then the key a
tag-key registry maps ``grouping.<name>`` to (when it is another key). Empty values count
as absent.
"""

from __future__ import annotations

from collections.abc import Mapping

from trackwright.domain.tags.keys import TagKeyRegistry

LEGACY_PREFIX = "code.grouping."


def _candidates(name: str, registry: TagKeyRegistry | None) -> list[str]:
    keys = [f"code.{name}", f"{LEGACY_PREFIX}{name}"]
    if registry is not None:
        keys.append(registry.key("grouping", name))
    return list(dict.fromkeys(keys))


def hash_from_tags(
    tags: Mapping[str, str], name: str, registry: TagKeyRegistry | None = None
) -> str | None:
    """The first non-empty value of ``name``'s candidate keys, or None.

    Args:
        tags: A run's tags.
        name: ``study_key_hash``, ``trial_key_hash``, ``study_family_hash`` or
            ``run_key_hash``.
        registry: Consulted last, for projects that renamed the grouping keys.
    """
    for key in _candidates(name, registry):
        value = tags.get(key)
        if value:
            return value
    return None


def study_key_hash_from_tags(
    tags: Mapping[str, str], registry: TagKeyRegistry | None = None
) -> str | None:
    """The study key hash a run carries, or None."""
    return hash_from_tags(tags, "study_key_hash", registry)


def trial_key_hash_from_tags(
    tags: Mapping[str, str], registry: TagKeyRegistry | None = None
) -> str | None:
    """The trial key hash a run carries, or None."""
    return hash_from_tags(tags, "trial_key_hash", registry)


def study_family_hash_from_tags(
    tags: Mapping[str, str], registry: TagKeyRegistry | None = None
) -> str | None:
    """The study family hash a run carries, or None."""
    return hash_from_tags(tags, "study_family_hash", registry)
