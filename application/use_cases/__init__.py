"""Use cases: run creation and lifecycle, lineage queries, artifacts, the simulated pipeline."""
