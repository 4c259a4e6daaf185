"""The tag policy: which tags a run carries and whose tags win.

Precedence: tags the policy computes first, caller tags over them, except the reserved
keys (``mlflow.parentRunId``, ``mlflow.runName``), which only the policy writes. A caller
tag that repeats the policy's value for a reserved key is accepted; one that contradicts
it is a violation (the original let callers silently override both, W-29).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trackwright.domain.errors import InvalidRunNameError, TagPolicyViolationError
from trackwright.domain.identity.positions import sweep_position
from trackwright.domain.run_names import control_characters
from trackwright.domain.tags.azure_ml import azure_ml_child_run_tags, is_azure_ml_uri
from trackwright.domain.tags.keys import RESERVED_KEYS, TagKeyRegistry
from trackwright.domain.tags.rules import tag_violations

MAX_RUN_NAME_LENGTH = 256


def validated_run_name(run_name: object) -> str:
    """The run name without surrounding whitespace.

    Raises:
        InvalidRunNameError: The name is None, not a string, empty or whitespace-only, or
            longer than 256 characters. MLflow would otherwise invent a random name.
    """
    if not isinstance(run_name, str) or not run_name.strip():
        raise InvalidRunNameError(
            f"Cannot create run: run_name is {run_name!r}; give every run a name "
            "(MLflow would otherwise invent one such as 'dynamic_duck_32')"
        )
    name = run_name.strip()
    if len(name) > MAX_RUN_NAME_LENGTH:
        raise InvalidRunNameError(
            f"run name is {len(name)} characters long; the limit is {MAX_RUN_NAME_LENGTH}"
        )
    bad = control_characters(name)
    if bad:
        raise InvalidRunNameError(f"run name {name!r} holds control characters {bad}")
    return name


@dataclass(frozen=True, slots=True)
class ChildRunSpec:
    """What identifies a child run: its parent, name and position in the sweep."""

    parent_run_id: str
    run_name: str
    trial_number: int | str | None = None
    fold_idx: int | None = None

    def __post_init__(self) -> None:
        """Refuse a bad trial number or fold index before any tag is built (IdentityError)."""
        object.__setattr__(self, "trial_number", sweep_position("trial_number", self.trial_number))
        object.__setattr__(self, "fold_idx", sweep_position("fold_idx", self.fold_idx))


class TagPolicy:
    """Builds the tags of each kind of run and merges caller tags by the precedence rule."""

    def __init__(self, registry: TagKeyRegistry, tracking_uri: str | None = None) -> None:
        self._keys = registry
        self._azure = is_azure_ml_uri(tracking_uri)

    @property
    def azure_ml(self) -> bool:
        """Whether runs are written to an Azure ML workspace (``azureml://`` URI)."""
        return self._azure

    @property
    def registry(self) -> TagKeyRegistry:
        """The tag-key registry the policy writes with."""
        return self._keys

    def merge(
        self, computed: Mapping[str, str], caller: Mapping[str, object] | None
    ) -> dict[str, str]:
        """Computed tags overlaid with caller tags; reserved keys stay the policy's.

        Raises:
            TagPolicyViolationError: Every broken rule of the caller tags, at once.
        """
        clean, problems = tag_violations(dict(caller or {}))
        for key in RESERVED_KEYS & clean.keys():
            if computed.get(key) != clean[key]:
                problems.append(
                    f"tag {key!r} is reserved: pass the run name or parent run instead "
                    f"(got {clean[key]!r}, the policy sets {computed.get(key)!r})"
                )
        if problems:
            raise TagPolicyViolationError(problems)
        return {**computed, **clean}

    def standalone_run_tags(
        self, run_name: str, caller: Mapping[str, object] | None = None
    ) -> dict[str, str]:
        """Tags of a run without a parent: the run name and the caller's tags."""
        return self.merge({self._keys.key("run", "name"): run_name}, caller)

    def child_run_tags(
        self, spec: ChildRunSpec, caller: Mapping[str, object] | None = None
    ) -> dict[str, str]:
        """Tags of a child run (trial, fold or training child).

        ``mlflow.parentRunId``, ``trial_number`` and ``fold_idx`` when given, the
        ``azureml.*`` trial tags only on an Azure ML tracking URI, ``mlflow.runName``.
        """
        key = self._keys.key
        computed = {key("mlflow", "parent_run_id"): spec.parent_run_id}
        if spec.trial_number is not None:
            computed[key("legacy", "trial_number")] = str(spec.trial_number)
        if spec.fold_idx is not None:
            computed[key("run", "fold_idx")] = str(spec.fold_idx)
        if self._azure:
            computed.update(azure_ml_child_run_tags(self._keys))
        computed[key("run", "name")] = spec.run_name
        return self.merge(computed, caller)
