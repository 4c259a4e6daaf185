"""Canonical JSON and sha256: the two primitives every identity key is built from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

HASH_HEX_LENGTH = 64


def sha256_hex(text: str) -> str:
    """The sha256 of ``text`` (UTF-8) as 64 lowercase hex characters, never truncated."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(payload: Mapping[str, Any]) -> str:
    """``payload`` as compact JSON with sorted keys and ASCII escaping.

    The same spelling as the original system's keys, so hashes computed here equal the
    hashes already stored on its runs.
    """
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def hash_of(payload: Mapping[str, Any]) -> str:
    """The sha256 hex of ``payload``'s canonical JSON."""
    return sha256_hex(canonical_json(payload))


def looks_like_hash(value: object) -> bool:
    """Whether ``value`` has the shape of an identity hash (64 lowercase hex characters)."""
    return (
        isinstance(value, str)
        and len(value) == HASH_HEX_LENGTH
        and all(c in "0123456789abcdef" for c in value)
    )
