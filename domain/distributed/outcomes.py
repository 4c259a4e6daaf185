"""How a run ended, as MLflow shows it: a status, and a state tag when the status is not enough.

| outcome     | status   | ``code.trial.state`` | more tags                                   |
|-------------|----------|----------------------|---------------------------------------------|
| complete    | FINISHED | (none)               |                                             |
| pruned      | FINISHED | ``pruned``           |                                             |
| failed      | FAILED   | ``failed``           | ``code.error.type``, ``code.error.message`` |
| killed      | KILLED   | ``killed``           | (KeyboardInterrupt, SystemExit)             |
| interrupted | KILLED   | ``interrupted``      | ``code.interrupted=true`` (lease expired)   |

A complete run carries no state tag, so ending it stays one request. A pruned trial is
FINISHED, never FAILED or KILLED: it did what it was asked and stopped early by design, and
must not look like a crash. The failure message goes through ``shorten_free_text`` after
credentials in URIs and ``password=``/``token=``-style pairs are masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trackwright.domain.model import RunStatus
from trackwright.domain.tags.keys import TagKeyRegistry
from trackwright.domain.tags.rules import shorten_free_text
from trackwright.domain.uris import redacted_text

MESSAGE_LIMIT = 500
_SECRET_PAIRS = re.compile(
    r"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)\b(\s*[=:]\s*)\S+"
)


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """The status a run ends with and the tags written just before (none: one request)."""

    status: RunStatus
    tags: dict[str, str] = field(default_factory=dict)


def masked_message(exc: BaseException) -> str:
    """The exception's message without credentials, fitted to ``MESSAGE_LIMIT``."""
    text = _SECRET_PAIRS.sub(r"\1\2***", redacted_text(str(exc))) or "(no message)"
    return shorten_free_text(text, MESSAGE_LIMIT)


def outcome_of(
    exc: BaseException | None,
    registry: TagKeyRegistry,
    pruned: tuple[type[BaseException], ...] = (),
) -> RunOutcome:
    """The outcome of a run whose body ended with ``exc`` (None: it returned).

    ``pruned`` lists the exception types that mean "pruned" (``optuna.TrialPruned`` for
    the Optuna integration); the core never imports an HPO library.
    """
    state = registry.key("outcome", "state")
    if exc is None:
        return RunOutcome(RunStatus.FINISHED)
    if pruned and isinstance(exc, pruned):
        return RunOutcome(RunStatus.FINISHED, {state: "pruned"})
    if not isinstance(exc, Exception):
        return RunOutcome(RunStatus.KILLED, {state: "killed"})
    kind = type(exc)
    return RunOutcome(
        RunStatus.FAILED,
        {
            state: "failed",
            registry.key("outcome", "error_type"): f"{kind.__module__}.{kind.__qualname__}",
            registry.key("outcome", "error_message"): masked_message(exc),
        },
    )


def interrupted_tags(registry: TagKeyRegistry) -> dict[str, str]:
    """What a run ended for its expired lease is tagged with."""
    return {
        registry.key("training", "interrupted"): "true",
        registry.key("outcome", "state"): "interrupted",
    }
