"""Tag policy: the key registry, MLflow's tag rules, the policy per kind of run, run tags."""
