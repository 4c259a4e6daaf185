"""Run identity: canonical study, trial and run keys and their sha256 hashes.

The same logical run always gets the same key, so a run can be found again (and created
by key as find-or-create). Hashes are 64 lowercase hex characters, never truncated.
"""

from trackwright.domain.identity.canonical import (
    canonical_json,
    hash_of,
    looks_like_hash,
    sha256_hex,
)
from trackwright.domain.identity.run_keys import (
    RunKeyFacts,
    kind_of_process,
    run_key,
    run_key_hash,
    run_key_of_process,
)
from trackwright.domain.identity.study import (
    data_fingerprint,
    derive_eval_config,
    eval_fingerprint,
    legacy_study_key_v1,
    study_family_hash,
    study_family_key,
    study_key_hash_v2,
    study_key_v2,
)
from trackwright.domain.identity.tag_readers import (
    hash_from_tags,
    study_family_hash_from_tags,
    study_key_hash_from_tags,
    trial_key_hash_from_tags,
)
from trackwright.domain.identity.trial import (
    BOOKKEEPING_PARAMS,
    normalised_hyperparameters,
    normalised_value,
    trial_key,
    trial_key_hash,
)

__all__ = [
    "BOOKKEEPING_PARAMS",
    "RunKeyFacts",
    "canonical_json",
    "data_fingerprint",
    "derive_eval_config",
    "eval_fingerprint",
    "hash_from_tags",
    "hash_of",
    "kind_of_process",
    "legacy_study_key_v1",
    "looks_like_hash",
    "normalised_hyperparameters",
    "normalised_value",
    "run_key",
    "run_key_hash",
    "run_key_of_process",
    "sha256_hex",
    "study_family_hash",
    "study_family_hash_from_tags",
    "study_family_key",
    "study_key_hash_from_tags",
    "study_key_hash_v2",
    "study_key_v2",
    "trial_key",
    "trial_key_hash",
    "trial_key_hash_from_tags",
]
