"""Stage trackers: sweep → trial → fold → refit, final training, benchmark, conversion."""

from trackwright.application.trackers.lease import WorkerLease
from trackwright.application.trackers.models import BenchmarkResult, ModelStages
from trackwright.application.trackers.sweep import SweepScope, SweepTracker
from trackwright.application.trackers.trial import TrialScope

__all__ = [
    "BenchmarkResult",
    "ModelStages",
    "SweepScope",
    "SweepTracker",
    "TrialScope",
    "WorkerLease",
]
