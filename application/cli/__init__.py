"""The ``trackwright`` command line: demo, tree, find, lineage, best."""

from application.cli.main import main

__all__ = ["main"]
