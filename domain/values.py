"""What a tracking port accepts as a metric, param or tag value: one rule for every backend.

Metric values follow MLflow, which stores ``float(value)``: ints, bools (1.0 / 0.0),
numpy scalars and numeric strings (``"0.5"``, ``" 1e3 "``, ``"nan"``, ``"inf"``) are
accepted and stored as that float; anything ``float()`` refuses (None, ``"abc"``, a list,
an int too large for a float) is ``TrackingInvalidValueError``. Accepting numeric strings
is safe: ``float()`` parses, it never evaluates, and the stored value is a plain float.

Param and tag values must be strings. MLflow's client crashes with a raw ``TypeError``
on an int and stores None as the text ``"None"``; trackwright refuses both the same way
on every backend instead (the use cases turn numbers and bools into tag strings first).
"""

from __future__ import annotations

from collections.abc import Mapping

from trackwright.domain.errors import TrackingInvalidValueError


def metric_value(key: str, value: object, operation: str = "log_batch") -> float:
    """The float MLflow stores for ``value``.

    Raises:
        TrackingInvalidValueError: ``float(value)`` fails.
    """
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError) as exc:
        raise TrackingInvalidValueError(
            f"metric {key!r} value {_shown(value)} is not a number", operation=operation
        ) from exc


def check_text_values(kind: str, values: Mapping[str, object], operation: str) -> None:
    """Refuse any value of ``values`` (params or tags) that is not a string.

    Raises:
        TrackingInvalidValueError: Names the first key whose value is not a string.
    """
    for key, value in values.items():
        if not isinstance(value, str):
            raise TrackingInvalidValueError(
                f"{kind} {key!r} has a {type(value).__name__} value; {kind} values are strings",
                operation=operation,
            )


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
