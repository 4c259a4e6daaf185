"""Where the in-memory fake knowingly differs from MLflow: the one list, with reasons.

Every other difference between ``InMemoryTracking`` and MLflow that the contract suite or
the differential property test finds is a bug in the fake. The README lists these too.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CAPABILITY_DIFFERENCES: Mapping[str, str] = MappingProxyType(
    {
        "atomic_batches": (
            "The fake applies a log_batch all or nothing. MlflowClient splits a batch of "
            "more than 1000 metrics, 100 params or 100 tags into several requests, so when "
            "a later request is refused (a bad key, a changed param) the earlier ones stay "
            "written. Batches within those limits are all or nothing on both."
        ),
        "generated_run_names": (
            "A run created without a name is named 'run-<8 hex>' by the fake and "
            "'<adjective>-<noun>-<number>' by MLflow. Both are random; give runs names "
            "(trackwright's run creation always does)."
        ),
        "page_tokens": (
            "Page tokens are opaque and valid only on the backend that issued them; each "
            "backend refuses the other's with TrackingInvalidValueError."
        ),
        "fault_injection_and_call_counts": (
            "Only the fake counts calls (calls, call_count) and injects faults (faults); "
            "MLflow fails on its own schedule."
        ),
    }
)
"""Named capability differences between the fake and MLflow, each with its reason."""
