"""The ``trackwright`` command line: demo, tree, find, lineage, best."""

from trackwright.application.cli.main import main

__all__ = ["main"]
