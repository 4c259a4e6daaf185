"""Run names: one template per kind of run, normalised, validated, with stated fallbacks.

The templates are the original ``naming.yaml`` ones. Hash components use their first 8
characters; a missing one reads ``unknown``. An HPO trial or fold name needs the study key
hash from its context: the original fell back to a process-wide ``HPO_STUDY_KEY_HASH``
variable, which leaked one study's hash into the next (W-19); there is no such fallback here.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from trackwright.domain.errors import InvalidRunNameError
from trackwright.domain.model import RunKind
from trackwright.domain.stage_context import StageContext

logger = logging.getLogger(__name__)
MAX_LENGTH = 256
WARN_LENGTH = 150
FORBIDDEN = frozenset('/\\:*?"<>|')
SUFFIX_MAX = 30

TEMPLATES: dict[RunKind, str] = {
    RunKind.TRIAL: "{env}_{model}_hpo_trial_study-{study}_t{trial}{version}",
    RunKind.FOLD: "{env}_{model}_hpo_trial_study-{study}_t{trial}_fold{fold}",
    RunKind.REFIT: "{env}_{model}_hpo_refit_study-{study}_trial-{trial_hash}_t{trial}{version}",
    RunKind.SWEEP: "{env}_{model}_hpo_study-{study}{suffix}{version}",
    RunKind.FINAL_TRAINING: (
        "{env}_{model}_final_training_spec-{spec}_exec-{exec}_v{variant}{version}"
    ),
    RunKind.BENCHMARK: (
        "{env}_{model}_benchmark_study-{study}_trial-{trial_hash}_bench-{bench}{version}"
    ),
    RunKind.CONVERSION: (
        "{env}_{model}_conversion_spec-{spec}_exec-{exec}_v{variant}_conv-{conv}{version}"
    ),
}
VERSIONED = frozenset({RunKind.TRIAL, RunKind.REFIT, RunKind.SWEEP, RunKind.BENCHMARK})
"""Kinds whose names may take a ``_N`` version suffix (never folds, final training, conversion)."""


_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def control_characters(text: str) -> str:
    """The control and format characters in ``text``, escaped; empty when there are none.

    ESC, BEL, NUL, newlines, tabs, bidi overrides, zero-width characters and the like.

    Run and experiment names are refused with any: a name is one line a person reads in a
    terminal or the UI. Tag values may hold them (free text); the CLI escapes what it shows.
    """
    found = sorted({c for c in text if unicodedata.category(c) in _CONTROL_CATEGORIES})
    return "".join(c.encode("unicode_escape").decode() for c in found)


def normalised_token(value: str) -> str:
    """``/``, ``-`` and spaces become ``_`` (``distilbert-base`` → ``distilbert_base``)."""
    return re.sub(r"[/\- ]", "_", value)


def _short(value: str | None) -> str:
    return value[:8] if value else "unknown"


def semantic_suffix(study_name: str | None, model: str) -> str:
    """``_<cleaned study name>``; empty for none or the automatic ``hpo_<model>`` default."""
    if not study_name or study_name == f"hpo_{model.split('-')[0]}":
        return ""
    cleaned = re.sub(r"[^\w-]", "", study_name.replace(" ", "").replace("/", "-"))
    return f"_{cleaned[:SUFFIX_MAX]}" if cleaned else ""


def _fields(ctx: StageContext, version: int | None) -> dict[str, str]:
    return {
        "env": normalised_token(ctx.storage),
        "model": normalised_token(ctx.model),
        "study": _short(ctx.study_key_hash),
        "trial_hash": _short(ctx.trial_key_hash),
        "trial": f"{ctx.trial_number:02d}" if ctx.trial_number is not None else "unknown",
        "fold": str(ctx.fold_idx if ctx.fold_idx is not None else 0),
        "suffix": semantic_suffix(ctx.study_name, ctx.model),
        "spec": _short(ctx.spec_fp),
        "exec": _short(ctx.exec_fp),
        "variant": str(int(ctx.variant)),
        "bench": _short(ctx.benchmark_config_hash),
        "conv": _short(ctx.conv_fp),
        "version": f"_{version}" if version is not None and ctx.kind in VERSIONED else "",
    }


def validated_generated_name(name: str) -> str:
    """The name, if it is within 256 characters and free of forbidden characters.

    Raises:
        InvalidRunNameError: ``max_length: ...`` or ``forbidden: ...``.
    """
    if len(name) > MAX_LENGTH:
        raise InvalidRunNameError(
            f"max_length: run name is {len(name)} characters (> {MAX_LENGTH})"
        )
    bad = sorted(FORBIDDEN.intersection(name))
    if bad:
        raise InvalidRunNameError(f"forbidden: run name {name!r} contains {''.join(bad)!r}")
    if len(name) > WARN_LENGTH:
        logger.warning("run name is %d characters long (> %d)", len(name), WARN_LENGTH)
    return name


def build_run_name(ctx: StageContext, version: int | None = None) -> str:
    """The systematic name of a run.

    Raises:
        InvalidRunNameError: A trial or fold without a study key hash, final training
            without its fingerprints, or a name that breaks the length or character rules.
    """
    if ctx.kind in (RunKind.TRIAL, RunKind.FOLD) and not ctx.study_key_hash:
        raise InvalidRunNameError(
            "HPO trial run name built without study_key_hash; check study identity propagation."
        )
    if ctx.kind is RunKind.FINAL_TRAINING and not (ctx.spec_fp and ctx.exec_fp):
        raise InvalidRunNameError("a final-training run name needs spec_fp and exec_fp")
    return validated_generated_name(TEMPLATES[ctx.kind].format(**_fields(ctx, version)))


def fallback_run_name(ctx: StageContext, run_id: str | None = None) -> str:
    """The name used when the systematic one cannot be built (the original's fallbacks)."""
    env, model = normalised_token(ctx.storage), normalised_token(ctx.model)
    if ctx.kind is RunKind.FINAL_TRAINING:
        name = f"{env}_{model}_training_{run_id[:8] if run_id else 'unknown'}"
        return re.sub(r"[/\\:]", "_", name)
    if ctx.kind in (RunKind.TRIAL, RunKind.FOLD):
        study, trial = _short(ctx.study_key_hash), ctx.trial_number or 0
        base = f"{env}_{model}_hpo_trial_study-{study}_t{trial:02d}"
        return base + (f"_fold{ctx.fold_idx}" if ctx.fold_idx is not None else "")
    return f"training_run_{ctx.kind.value}"


def counter_key(ctx: StageContext, base_name: str, tracking_uri: str = "") -> str:
    """The version-counter key: ``{tracking uri}|{project}:{kind}:{name without version}``.

    One function builds it, so every allocation for a name uses the same key (the
    original built it from ``storage_env`` when reserving and ``environment`` when
    committing, W-20). The name already holds the env, model and the study/trial hashes,
    so numbers count runs that would otherwise share a name and never run on across
    studies (the original keyed non-CV trials by ``trial_<n>`` alone, W-18); the tracking
    URI keeps two stores sharing one counter file apart (W-21).
    """
    return f"{tracking_uri}|{ctx.project}:{ctx.kind.value}:{base_name}"
