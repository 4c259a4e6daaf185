"""Tests count round trips with the shipped instrument."""

from trackwright.adapters.counting import CountingTracking

__all__ = ["CountingTracking"]
