"""The run index file format (JSON), and its reader.

::

    {"format": "trackwright-run-index", "version": 1,
     "stores": {"<tracking uri>": {"<run key hash>": {"run_id": "...",
                "experiment_id": "...", "updated_at": "<ISO UTC>", "used_at": "<ISO UTC>"}}}}

Entries live under their tracking URI, so two stores never overwrite each other's keys.
Writes work on the decoded document (a read-modify-write of one entry must stay cheap
with thousands of entries); an entry is checked in full when it is read. Anything that
is not this format is a corrupt index: the reader says why, the adapter reports and
rebuilds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from trackwright.domain.run_index import IndexEntry

FORMAT = "trackwright-run-index"
VERSION = 1
Stores = dict[str, dict[str, dict[str, Any]]]
_TEXT_FIELDS = ("run_id", "experiment_id", "updated_at")


class IndexFormatError(ValueError):
    """The file is not a run index of this format; the message says what is wrong."""


def _is_zoned_time(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def entry_of(stores: Stores, tracking_uri: str, run_key_hash: str) -> IndexEntry | None:
    """The entry stored for this key, checked in full; None when there is none.

    Raises:
        IndexFormatError: The stored entry is malformed.
    """
    raw = stores.get(tracking_uri, {}).get(run_key_hash)
    if raw is None:
        return None
    where = f"entry {run_key_hash!r} of {tracking_uri!r}"
    if any(not isinstance(raw.get(f), str) for f in _TEXT_FIELDS):
        raise IndexFormatError(f"{where} lacks run_id/experiment_id/updated_at")
    used = raw.get("used_at")
    if not _is_zoned_time(raw["updated_at"]) or (used is not None and not _is_zoned_time(used)):
        raise IndexFormatError(f"{where} has a timestamp that is not ISO-8601 with a zone")
    return IndexEntry(
        tracking_uri, run_key_hash, raw["run_id"], raw["experiment_id"], raw["updated_at"], used
    )


def raw_entry(entry: IndexEntry) -> dict[str, Any]:
    """How one entry is stored."""
    stored: dict[str, Any] = {
        "run_id": entry.run_id,
        "experiment_id": entry.experiment_id,
        "updated_at": entry.updated_at,
    }
    if entry.used_at is not None:
        stored["used_at"] = entry.used_at
    return stored


def decode(text: str) -> Stores:
    """The stores of an index file's text (entries are checked when read).

    Raises:
        IndexFormatError: Not JSON, another format or version, or not nested mappings.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IndexFormatError(f"not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise IndexFormatError(f"not a {FORMAT} document")
    if document.get("version") != VERSION:
        raise IndexFormatError(f"version {document.get('version')!r} is not {VERSION}")
    stores = document.get("stores")
    if not isinstance(stores, dict) or not all(
        isinstance(entries, dict) and all(isinstance(raw, dict) for raw in entries.values())
        for entries in stores.values()
    ):
        raise IndexFormatError("'stores' is not a mapping of tracking URIs to entries")
    return stores


def encode(stores: Stores) -> str:
    """The text of an index file holding ``stores``."""
    document = {"format": FORMAT, "version": VERSION, "stores": stores}
    return json.dumps(document, separators=(",", ":"))


def all_entries(stores: Stores) -> Iterable[IndexEntry]:
    """Every well-formed entry (malformed ones are skipped: they are evicted first)."""
    for uri, entries in stores.items():
        for key in entries:
            try:
                found = entry_of(stores, uri, key)
            except IndexFormatError:
                continue
            if found is not None:
                yield found


def size(stores: Stores) -> int:
    """How many entries ``stores`` holds."""
    return sum(len(entries) for entries in stores.values())
