"""trackwright's domain: value objects, the tracking port and the pure services over it.

It imports the standard library and pydantic only; nothing here talks to a backend
except through ``domain.ports.TrackingPort``.

W-n ids in docstrings name weaknesses of the original helpers: docs/weaknesses.md.
"""
