"""A run's position in a sweep (trial number, fold index): checked where identity is built.

Both become identity tags and run-name parts, so a wrong type is refused before any
write: a non-negative ``int``, or a string of decimal digits (the seed functions accept
``"3"``), normalised to the ``int``. Booleans, negatives, ``"x"`` and floats are refused.
"""

from __future__ import annotations

from trackwright.domain.errors import IdentityError


def sweep_position(name: str, value: object) -> int | None:
    """``value`` as a non-negative int (None stays None).

    Raises:
        IdentityError: ``value`` is not a non-negative whole number.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise IdentityError(f"{name} must be a whole number >= 0, not {value!r}")
