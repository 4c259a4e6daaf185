"""Adapters: the tracking port made real (MLflow, in-memory) and config loading.

Importing this package imports no adapter; import the one you need, e.g.
``from adapters.memory import InMemoryTracking``. The MLflow adapter is imported only
when a container selects it, so the fake path never pays for ``import mlflow``.

W-n ids in docstrings name weaknesses of the original helpers: docs/weaknesses.md.
"""
