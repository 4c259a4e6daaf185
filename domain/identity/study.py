"""Study identity: the v2 study key, the study family key and their fingerprints.

Payloads reproduce the original system's field by field, so a study hashed here gets the
hash its runs already carry in ``code.study_key_hash`` / ``code.study_family_hash``.
Known quirk kept for that reason: the v2 training budget reads ``max_steps`` and
``num_epochs`` at the top level of the train config (W-16); configs that nest them under
``training`` hash as if no budget were set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trackwright.domain.identity.canonical import canonical_json, hash_of, sha256_hex

Config = Mapping[str, Any]
STUDY_KEY_SCHEMA_VERSION = "2.0"
DEFAULT_METRIC = "macro-f1"


def data_fingerprint(data_config: Config | None) -> str:
    """The data's identity: ``content_hash`` > ``manifest_hash`` > its semantic fields."""
    data = data_config or {}
    content = data.get("content_hash") or data.get("manifest_hash")
    if content:
        return sha256_hex(str(content))
    return hash_of(
        {
            "name": data.get("name"),
            "version": data.get("version"),
            "split_seed": data.get("split_seed"),
            "label_mapping": data.get("label_mapping", {}),
            "schema": data.get("schema", {}),
        }
    )


def derive_eval_config(train_config: Config | None, hpo_config: Config | None) -> Config:
    """The evaluation config: train ``eval`` > hpo ``evaluation`` > the hpo objective."""
    found: Config = (train_config or {}).get("eval") or {}
    if not found and hpo_config:
        found = hpo_config.get("evaluation") or {}
    if not found and hpo_config:
        found = {"evaluator_version": "default", "metric": hpo_config.get("objective", {})}
    return found or {"evaluator_version": "default"}


def eval_fingerprint(eval_config: Config) -> str:
    """The evaluation's identity: evaluator version, metric spec, thresholding, full config."""
    return hash_of(
        {
            "evaluator_version": eval_config.get("evaluator_version", "default"),
            "metric_spec": eval_config.get("metric", {}),
            "thresholding": eval_config.get("thresholding", {}),
            "full_eval_config": dict(eval_config),
        }
    )


def _hpo_section(hpo: Config, *, explicit_objective: bool) -> dict[str, Any]:
    objective = hpo.get("objective", {})
    if explicit_objective:
        objective = {
            "metric": objective.get("metric", DEFAULT_METRIC),
            "direction": objective.get("direction", "maximize"),
        }
    return {
        "search_space": hpo.get("search_space", {}),
        "objective": objective,
        "k_fold": hpo.get("k_fold", {}),
        "sampling": {"algorithm": hpo.get("sampling", {}).get("algorithm", "random")},
        "early_termination": hpo.get("early_termination", {}),
    }


def study_key_v2(
    data_config: Config | None,
    hpo_config: Config | None,
    train_config: Config | None,
    model: str,
) -> str:
    """The canonical v2 study key (JSON) of one HPO study of ``model``."""
    data, hpo, train = data_config or {}, hpo_config or {}, train_config or {}
    payload = {
        "schema_version": STUDY_KEY_SCHEMA_VERSION,
        "data": {
            "name": data.get("name", ""),
            "version": data.get("version", ""),
            "schema": data.get("schema", {}),
            "split_seed": data.get("split_seed", "default"),
            "label_mapping": data.get("label_mapping", {}),
            "data_fingerprint": data_fingerprint(data),
        },
        "hpo": _hpo_section(hpo, explicit_objective=True),
        "training": {
            "max_steps": train.get("max_steps"),
            "num_epochs": train.get("num_epochs"),
            "seed_policy": train.get("seed_policy", "default"),
        },
        "evaluation": {"eval_fingerprint": eval_fingerprint(derive_eval_config(train, hpo))},
        "model": model.lower().strip(),
    }
    return canonical_json(payload)


def study_key_hash_v2(
    data_config: Config | None,
    hpo_config: Config | None,
    train_config: Config | None,
    model: str,
) -> str:
    """The sha256 hex of the v2 study key (the ``code.study_key_hash`` tag)."""
    return sha256_hex(study_key_v2(data_config, hpo_config, train_config, model))


def _family_payload(data: Config, hpo: Config, benchmark_config: Config | None) -> dict[str, Any]:
    bench: dict[str, Any] = {}
    if benchmark_config:
        section = benchmark_config.get("benchmarking", {})
        bench = {
            "metric": section.get("metric", DEFAULT_METRIC),
            "max_length": section.get("max_length", 512),
        }
    return {
        "schema_version": STUDY_KEY_SCHEMA_VERSION,
        "data": {
            "name": data.get("name", ""),
            "version": data.get("version", ""),
            "local_path": str(data.get("local_path", "")),
            "schema": data.get("schema", {}),
        },
        "hpo": _hpo_section(hpo, explicit_objective=False),
        "benchmark": bench,
    }


def study_family_key(
    data_config: Config | None, hpo_config: Config | None, benchmark_config: Config | None = None
) -> str:
    """The canonical study family key: the study without its model (cross-model grouping)."""
    return canonical_json(_family_payload(data_config or {}, hpo_config or {}, benchmark_config))


def study_family_hash(
    data_config: Config | None, hpo_config: Config | None, benchmark_config: Config | None = None
) -> str:
    """The sha256 hex of the study family key (the ``code.study_family_hash`` tag)."""
    return sha256_hex(study_family_key(data_config, hpo_config, benchmark_config))


def legacy_study_key_v1(
    data_config: Config | None,
    hpo_config: Config | None,
    model: str,
    benchmark_config: Config | None = None,
) -> str:
    """The superseded v1 study key (family key plus the model), for reading old runs."""
    payload = _family_payload(data_config or {}, hpo_config or {}, benchmark_config)
    payload["model"] = model.lower().strip()
    return canonical_json(payload)
