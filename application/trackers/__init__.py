"""Stage trackers: sweep → trial → fold → refit, final training, benchmark, conversion."""

from trackwright.application.trackers.models import BenchmarkResult, ModelStages
from trackwright.application.trackers.sweep import SweepScope, SweepTracker, TrialScope

__all__ = ["BenchmarkResult", "ModelStages", "SweepScope", "SweepTracker", "TrialScope"]
