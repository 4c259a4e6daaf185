"""Install the top-level folders under one import namespace, ``trackwright``.

The repository keeps ``domain/``, ``adapters/`` and ``application/`` at its top level; they
install as ``trackwright.domain``, ``trackwright.adapters`` and ``trackwright.application``,
so the library never claims a generic top-level name in a user's environment. The package
``trackwright`` itself (the front door: ``import trackwright``) is the small folder
``application/front_door/``; a top-level ``trackwright/`` folder would shadow the installed
package whenever the repository root is on ``sys.path`` (pytest, ``python -c``).
Everything else about the package is declared in ``pyproject.toml``.
"""

from setuptools import find_namespace_packages, setup

LAYERS = ("domain", "adapters", "application")
FRONT_DOOR = "application/front_door"

packages = [
    f"trackwright.{name}"
    for layer in LAYERS
    for name in find_namespace_packages(include=[layer, f"{layer}.*"])
    if "__pycache__" not in name and not name.startswith("application.front_door")
]

setup(
    packages=["trackwright", *packages],
    package_dir={"trackwright": FRONT_DOOR, **{f"trackwright.{layer}": layer for layer in LAYERS}},
)
