"""trackwright's application layer: the container, the use cases and the seed functions.

Names load on first use (PEP 562), so importing this package costs next to nothing: it
imports neither mlflow nor the DI container library until a name that needs them is used.
The everyday names are also at the top level: ``import trackwright``. W-n ids in
docstrings name weaknesses of the original helpers: docs/weaknesses.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from trackwright.application.exports import APPLICATION

__all__ = sorted(APPLICATION)

if TYPE_CHECKING:  # the names as mypy and IDEs see them; at run time __getattr__ loads them
    from trackwright.application.typed_names import *  # noqa: F403


def __getattr__(name: str) -> Any:
    module = APPLICATION.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
