"""Turning runs into lines a person reads, or into JSON-ready dictionaries.

Stored text (run names, tags, experiment names) is written by anyone who can write to the
store, so every line meant for a terminal goes through ``terminal_safe`` on its way out
(``Session.emit`` and ``fail`` apply it): control and format characters are shown as
escapes, never sent to the terminal. JSON output escapes them by its own rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from trackwright.domain.model import LifecycleStage, Run

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Controls (ESC, BEL, NUL, newlines, DEL, C1), format characters (bidi overrides,
zero-width), surrogates, private-use and unassigned code points, line/paragraph separators."""
_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def terminal_safe(text: str) -> str:
    r"""``text`` with every character a terminal would act on shown as an escape.

    A backslash is doubled, so an escape in the output always stands for the character.

    >>> terminal_safe("run\x1b[2J\x07 ok")
    'run\\x1b[2J\\x07 ok'
    """
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_escaped(c) for c in text)


PREFERRED_METRICS = ("macro-f1", "cv_mean", "throughput_samples_per_sec", "onnx_model_size_mb")


def kind_of(run: Run) -> str:
    """The run's kind (``code.run_type``), or ``run`` for runs trackwright did not tag."""
    return run.tags.get("code.run_type", "run")


def key_metric(run: Run, metric: str | None = None) -> tuple[str, float] | None:
    """The metric to show for a run: the one asked for, else the first preferred present."""
    names = (metric,) if metric else (*PREFERRED_METRICS, *sorted(run.metrics))
    return next(((n, run.metrics[n]) for n in names if n in run.metrics), None)


def as_dict(run: Run, metric: str | None = None) -> dict[str, Any]:
    """A JSON-ready summary of a run."""
    shown = key_metric(run, metric)
    return {
        "run_id": run.run_id,
        "name": run.name,
        "kind": kind_of(run),
        "status": run.status.value,
        "deleted": run.lifecycle_stage is LifecycleStage.DELETED,
        "experiment_id": run.experiment_id,
        "parent_run_id": run.parent_run_id,
        "metric": {"name": shown[0], "value": shown[1]} if shown else None,
    }


def line(run: Run, depth: int = 0, metric: str | None = None) -> str:
    """``<indent><kind> <status> <metric> <name> <run id>``, then ``[deleted]`` if it is."""
    shown = key_metric(run, metric)
    value = f"{shown[0]}={shown[1]:.4f}" if shown else "-"
    indent = "  " * depth
    deleted = "  [deleted]" if run.lifecycle_stage is LifecycleStage.DELETED else ""
    status = run.status.value
    return f"{indent}{kind_of(run):<14} {status:<8} {value:<22} {run.name}  {run.run_id}{deleted}"


def tree(runs: Sequence[Run]) -> list[tuple[int, Run]]:
    """Runs in hierarchy order (``mlflow.parentRunId``) with their depth; roots first."""
    ids = {r.run_id for r in runs}
    children: dict[str | None, list[Run]] = {}
    for run in runs:
        parent = run.parent_run_id if run.parent_run_id in ids else None
        children.setdefault(parent, []).append(run)
    ordered: list[tuple[int, Run]] = []

    def walk(parent: str | None, depth: int) -> None:
        for child in sorted(children.get(parent, []), key=lambda r: (r.start_time, r.name)):
            ordered.append((depth, child))
            walk(child.run_id, depth + 1)

    walk(None, 0)
    return ordered


def tree_lines(runs: Sequence[Run], metric: str | None = None) -> Iterator[str]:
    """The indented run tree."""
    for depth, run in tree(runs):
        yield line(run, depth, metric)
