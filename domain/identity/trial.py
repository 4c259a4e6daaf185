"""Trial identity: the trial key (study hash plus normalised hyper-parameters).

Equivalence rules, decided and tested (the original's docstring promised more than its code
did; these rules follow the code, so hashes already stored on its runs stay findable):

- Floats are rounded through ``f"{value:.12e}"`` (13 significant digits, the original's
  format): ``0.1 + 0.2`` and ``0.3`` hash alike, while ``2.33e-05`` and ``2.33000001e-05``
  (``0.0000233000001``) differ. ``-0.0`` is ``0.0``; NaN and infinities keep their value.
- The type is part of the identity: integer ``1`` and float ``1.0`` hash differently, and
  ``True`` differs from ``1``. A search space declares each parameter as int or float, so
  one trial always yields the same type; unifying them would change every stored hash.
- Strings compare case- and surrounding-whitespace-insensitively (``"  ADAM "`` is ``adam``).
- Anything else (None, lists, mappings) is compared by ``str(value).lower().strip()``.
- ``backbone``, ``trial_number`` and ``run_id`` are bookkeeping, not hyper-parameters; they
  are left out here, in one place (the original left that to each caller).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trackwright.domain.errors import IdentityError
from trackwright.domain.identity.canonical import canonical_json, sha256_hex

TRIAL_KEY_SCHEMA_VERSION = "2.0"
BOOKKEEPING_PARAMS = frozenset({"backbone", "trial_number", "run_id"})
FLOAT_FORMAT = ".12e"

Normalised = float | int | bool | str


def normalised_value(value: object) -> Normalised:
    """One hyper-parameter value in its canonical form (see the module's rules)."""
    if isinstance(value, float):
        return 0.0 if value == 0.0 else float(format(value, FLOAT_FORMAT))
    if isinstance(value, bool | int):
        return value
    return str(value).lower().strip()


def normalised_hyperparameters(hyperparameters: Mapping[str, Any]) -> dict[str, Normalised]:
    """The hyper-parameters in canonical form, bookkeeping entries removed."""
    return {
        key: normalised_value(value)
        for key, value in sorted(hyperparameters.items())
        if key not in BOOKKEEPING_PARAMS
    }


def trial_key(study_key_hash: str, hyperparameters: Mapping[str, Any]) -> str:
    """The canonical trial key (JSON) of one trial of the study ``study_key_hash``.

    Raises:
        IdentityError: ``study_key_hash`` is not a non-empty string.
    """
    if not isinstance(study_key_hash, str) or not study_key_hash:
        raise IdentityError(
            f"study_key_hash must be a non-empty string, got {type(study_key_hash).__name__}"
        )
    return canonical_json(
        {
            "schema_version": TRIAL_KEY_SCHEMA_VERSION,
            "study_key_hash": study_key_hash,
            "hyperparameters": normalised_hyperparameters(hyperparameters),
        }
    )


def trial_key_hash(study_key_hash: str, hyperparameters: Mapping[str, Any]) -> str:
    """The sha256 hex of the trial key (the ``code.trial_key_hash`` tag).

    Raises:
        IdentityError: ``study_key_hash`` is not a non-empty string.
    """
    return sha256_hex(trial_key(study_key_hash, hyperparameters))
