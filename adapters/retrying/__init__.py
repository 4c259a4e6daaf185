"""Retries for any tracking port: a wrapper that repeats only what is safe to repeat.

It depends on the domain and ``tenacity`` only, so it wraps MLflow, the in-memory fake,
or a backend you add.
"""

from trackwright.adapters.retrying.policy import RetryPolicy, is_transient, was_not_applied
from trackwright.adapters.retrying.tracking import RetryingTracking

__all__ = ["RetryPolicy", "RetryingTracking", "is_transient", "was_not_applied"]
