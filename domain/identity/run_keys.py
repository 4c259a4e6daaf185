"""Run keys: one stable text per logical run, so the same run is always found again.

Keys of the original system are kept verbatim (runs it tagged stay findable):

- sweep: ``hpo:{model}:study_{study_key_hash}`` (``study_unknown`` without a study hash)
- trial: ``hpo:{model}:{trial_id}``
- refit: ``hpo_refit:{model}:{trial_id}``
- benchmark: ``benchmark:{model}:{trial_id}``
- final training: ``final_training:{model}:spec_{spec_fp}:exec_{exec_fp}:v{variant}``
- conversion: ``conversion:{model}:{parent_training_id}:conv_{conv_fp}``

New: fold runs, which the original never keyed (W-22): ``hpo:{model}:{trial_id}:fold_{n}``.
The ``code.run_key_hash`` tag and the local run index hold ``sha256(run key)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from trackwright.domain.errors import IncompleteRunKeyError
from trackwright.domain.identity.canonical import sha256_hex
from trackwright.domain.model import RunKind


class RunKeyFacts(Protocol):
    """What a run key is built from; ``StageContext`` and the original's context both fit."""

    @property
    def model(self) -> str:
        """The backbone."""
        ...

    @property
    def trial_id(self) -> str | None:
        """The HPO trial's stable id."""
        ...

    @property
    def study_key_hash(self) -> str | None:
        """The study's hash (sweep runs)."""
        ...

    @property
    def fold_idx(self) -> int | None:
        """The CV fold (fold runs)."""
        ...

    @property
    def spec_fp(self) -> str | None:
        """The training spec fingerprint (final training)."""
        ...

    @property
    def exec_fp(self) -> str | None:
        """The execution fingerprint (final training)."""
        ...

    @property
    def variant(self) -> int | str | None:
        """The final-training variant."""
        ...

    @property
    def parent_training_id(self) -> str | None:
        """The trained model a conversion starts from."""
        ...

    @property
    def conv_fp(self) -> str | None:
        """The conversion fingerprint."""
        ...


def _need(kind: str, **fields: object) -> None:
    missing = [name for name, value in fields.items() if value is None or value == ""]
    if missing:
        raise IncompleteRunKeyError(f"a {kind} run key needs {', '.join(missing)}")


def _sweep(f: RunKeyFacts) -> str:
    return f"hpo:{f.model}:study_{f.study_key_hash or 'unknown'}"


def _trial(f: RunKeyFacts) -> str:
    _need("trial", trial_id=f.trial_id)
    return f"hpo:{f.model}:{f.trial_id}"


def _fold(f: RunKeyFacts) -> str:
    _need("fold", trial_id=f.trial_id, fold_idx=f.fold_idx)
    return f"hpo:{f.model}:{f.trial_id}:fold_{f.fold_idx}"


def _refit(f: RunKeyFacts) -> str:
    _need("refit", trial_id=f.trial_id)
    return f"hpo_refit:{f.model}:{f.trial_id}"


def _benchmark(f: RunKeyFacts) -> str:
    _need("benchmark", trial_id=f.trial_id)
    return f"benchmark:{f.model}:{f.trial_id}"


def _final_training(f: RunKeyFacts) -> str:
    _need("final training", spec_fp=f.spec_fp, exec_fp=f.exec_fp)
    return f"final_training:{f.model}:spec_{f.spec_fp}:exec_{f.exec_fp}:v{f.variant}"


def _conversion(f: RunKeyFacts) -> str:
    _need("conversion", parent_training_id=f.parent_training_id, conv_fp=f.conv_fp)
    return f"conversion:{f.model}:{f.parent_training_id}:conv_{f.conv_fp}"


_BUILDERS: dict[RunKind, Callable[[RunKeyFacts], str]] = {
    RunKind.SWEEP: _sweep,
    RunKind.TRIAL: _trial,
    RunKind.FOLD: _fold,
    RunKind.REFIT: _refit,
    RunKind.BENCHMARK: _benchmark,
    RunKind.FINAL_TRAINING: _final_training,
    RunKind.CONVERSION: _conversion,
}


def run_key(kind: RunKind, facts: RunKeyFacts) -> str:
    """The run key of a run of ``kind`` described by ``facts``.

    Raises:
        IncompleteRunKeyError: A field the kind's key needs is missing (e.g. a refit
            without ``trial_id``); the message names it.
    """
    return _BUILDERS[RunKind(kind)](facts)


def run_key_hash(key: str) -> str:
    """The sha256 hex of a run key (the ``code.run_key_hash`` tag)."""
    return sha256_hex(key)


def kind_of_process(process_type: str, facts: RunKeyFacts) -> RunKind | None:
    """The kind of run an original ``process_type`` names (None when it names none).

    ``hpo`` is a trial when a ``trial_id`` is known (a fold when a fold index is known too),
    otherwise the sweep, as in the original.
    """
    if process_type == "hpo":
        if not getattr(facts, "trial_id", None):
            return RunKind.SWEEP
        return RunKind.FOLD if getattr(facts, "fold_idx", None) is not None else RunKind.TRIAL
    return _KIND_BY_PROCESS.get(process_type)


_KIND_BY_PROCESS = {
    "hpo_refit": RunKind.REFIT,
    "benchmarking": RunKind.BENCHMARK,
    "final_training": RunKind.FINAL_TRAINING,
    "conversion": RunKind.CONVERSION,
}


def run_key_of_process(process_type: str, facts: RunKeyFacts) -> str:
    """The run key for an original ``process_type`` (``{type}:{model}:unknown`` if unknown).

    Raises:
        IncompleteRunKeyError: A field the key needs is missing.
    """
    kind = kind_of_process(process_type, facts)
    if kind is None:
        return f"{process_type}:{facts.model}:unknown"
    return run_key(kind, facts)
