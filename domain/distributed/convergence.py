"""One sweep run per study key, without a coordinator: the deterministic winner rule.

MLflow has no unique constraint and no compare-and-set, so workers that start together may
each create a sweep run. Each creator waits a short settle window, searches every active
sweep run with the study's run key, and keeps the *winner*: the earliest ``start_time``,
then the smallest run id. Every worker applies the same rule to what it sees; a creator
that lost deletes its own run and attaches to the winner. See docs/distributed-sweeps.md
for why everyone ends on the same run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trackwright.domain.errors import InvalidStudyKeyError
from trackwright.domain.model import LifecycleStage, Run

STUDY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
DEFAULT_SETTLE_SECONDS = 1.0
# The sweep's other timing default: a trial's params wait at most this long for the trial's
# next batch before they are written alone (application.trackers.trial.TrialScope).
DEFAULT_PARAMS_DELAY = 1.0


def checked_study_key(value: object) -> str:
    """``value`` if it has the shape of a study key hash (8-128 of ``A-Za-z0-9_-``).

    Raises:
        InvalidStudyKeyError: Anything else (None, blank, quotes, spaces, too long).
    """
    if not isinstance(value, str) or not STUDY_KEY_PATTERN.match(value):
        shown = repr(value) if len(repr(value)) < 80 else repr(value)[:77] + "..."
        raise InvalidStudyKeyError(
            f"study key hash {shown} is malformed: expected 8-128 characters of "
            "A-Z, a-z, 0-9, '_' or '-' (study_key_hash_v2 gives 64 hex characters)"
        )
    return value


def winner(candidates: Iterable[Run]) -> Run | None:
    """The sweep run every worker agrees on: earliest start, then smallest run id."""
    active = [r for r in candidates if r.lifecycle_stage is LifecycleStage.ACTIVE]
    return min(active, key=lambda r: (r.start_time, r.run_id), default=None)
