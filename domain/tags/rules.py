"""MLflow's limits on tags, as small rules with sentence names.

The overflow rule: trackwright never truncates a tag value silently (MLflow truncates
values over 8000 characters by default, which can corrupt identifiers and paths). A value
over the limit is a violation. Free text the library builds itself (error messages) goes
through ``shorten_free_text`` first, which keeps the head and says how much was cut.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

MAX_TAG_KEY_LENGTH = 250
MAX_TAG_VALUE_LENGTH = 8000
_KEY_CHARACTERS = re.compile(r"^[/\w.\- :]*$")


def key_violations(key: object) -> list[str]:
    """Every rule the tag key breaks (empty when the key is valid)."""
    if not isinstance(key, str):
        return [f"tag key {key!r} is not a string"]
    problems: list[str] = []
    if not key:
        problems.append("a tag key is empty")
    if len(key) > MAX_TAG_KEY_LENGTH:
        problems.append(
            f"tag key {key[:40]!r}... is {len(key)} characters long; the limit is "
            f"{MAX_TAG_KEY_LENGTH}"
        )
    if not _KEY_CHARACTERS.match(key):
        problems.append(
            f"tag key {key!r} has characters MLflow rejects; use letters, digits, "
            "'_', '-', '.', ' ', ':' and '/'"
        )
    elif key and _resolves_elsewhere(key):
        problems.append(f"tag key {key!r} is not a normalised path (MLflow rejects it)")
    return problems


def _resolves_elsewhere(key: str) -> bool:
    norm = posixpath.normpath(key)
    return norm != key or norm == "." or norm.startswith(("..", "/"))


def normalise_tag_value(key: str, value: object) -> tuple[str | None, str | None]:
    """The value as a tag string, or the violation it causes.

    Strings pass unchanged; ``bool`` becomes ``"true"``/``"false"`` (the convention of
    every boolean tag here); ``int`` and ``float`` become ``str(value)``. Anything else
    (None, containers, objects) is a violation rather than a surprising ``str()``.
    """
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float):
        text = str(value)
    else:
        return None, f"tag {key!r} has a {type(value).__name__} value; tag values are strings"
    if len(text) > MAX_TAG_VALUE_LENGTH:
        return None, (
            f"tag {key!r} value is {len(text)} characters long; the limit is "
            f"{MAX_TAG_VALUE_LENGTH} (values are never truncated silently)"
        )
    return text, None


def tag_violations(tags: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """Normalised tags and every violation found in them."""
    clean: dict[str, str] = {}
    problems: list[str] = []
    for key, value in tags.items():
        key_problems = key_violations(key)
        problems.extend(key_problems)
        if key_problems:
            continue
        text, problem = normalise_tag_value(key, value)
        if problem:
            problems.append(problem)
        elif text is not None:
            clean[key] = text
    return clean, problems


def shorten_free_text(text: str, limit: int = MAX_TAG_VALUE_LENGTH) -> str:
    """Fit library-built free text (e.g. an error message) into ``limit`` characters."""
    if len(text) <= limit:
        return text
    longest_marker = f"...[{len(text)} more characters cut]"
    keep = max(limit - len(longest_marker), 0)
    return text[:keep] + f"...[{len(text) - keep} more characters cut]"
