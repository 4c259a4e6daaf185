"""Tests count round trips with the shipped instrument."""

from adapters.counting import CountingTracking

__all__ = ["CountingTracking"]
