"""Everything about tags, one module per concept.

- ``keys``: the tag-key registry (every key trackwright writes or reads, overridable).
- ``rules``: MLflow's limits on tag keys and values, and how values are normalised.
- ``policy``: whose tags win (caller tags over computed ones, reserved keys excepted) and
  the tags of a standalone or child run.
- ``run_tags``: the tags each kind of run carries (stage, run type, grouping hashes, training).
- ``lineage``: where a model came from, as a value object and as ``code.lineage.*`` tags.
- ``azure_ml``: the Azure ML rule (``azureml.*`` tags only on an ``azureml://`` store).
"""
