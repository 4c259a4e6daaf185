"""Install the top-level folders under one import namespace, ``trackwright``.

The repository keeps ``domain/``, ``adapters/`` and ``application/`` at its top level; they
install as ``trackwright.domain``, ``trackwright.adapters`` and ``trackwright.application``,
so the library never claims a generic top-level name in a user's environment. Everything
else about the package is declared in ``pyproject.toml``.
"""

from setuptools import find_namespace_packages, setup

LAYERS = ("domain", "adapters", "application")

packages = [
    f"trackwright.{name}"
    for layer in LAYERS
    for name in find_namespace_packages(include=[layer, f"{layer}.*"])
    if "__pycache__" not in name
]

setup(
    packages=packages,
    package_dir={f"trackwright.{layer}": layer for layer in LAYERS},
)
