"""The shipped in-memory tracking backend: thread-safe, MLflow-shaped, countable."""

from trackwright.adapters.memory.artifacts import InMemoryArtifacts
from trackwright.adapters.memory.faults import FaultInjector
from trackwright.adapters.memory.tracking import InMemoryTracking

__all__ = ["FaultInjector", "InMemoryArtifacts", "InMemoryTracking"]
