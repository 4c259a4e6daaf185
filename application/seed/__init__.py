"""The seed-compatible functions: the original helpers' names and argument shapes."""
