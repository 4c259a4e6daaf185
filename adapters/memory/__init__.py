"""The shipped in-memory tracking backend: thread-safe, MLflow-shaped, countable."""

from adapters.memory.artifacts import InMemoryArtifacts
from adapters.memory.faults import FaultInjector
from adapters.memory.tracking import InMemoryTracking

__all__ = ["FaultInjector", "InMemoryArtifacts", "InMemoryTracking"]
