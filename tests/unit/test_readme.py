"""The README states what the code does: its declared fake/MLflow differences and commands."""

from __future__ import annotations

from pathlib import Path

from trackwright.adapters.memory.capabilities import CAPABILITY_DIFFERENCES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_declared_capability_difference() -> None:
    assert [name for name in CAPABILITY_DIFFERENCES if f"**{name}**" not in README] == []


def test_the_readme_shows_the_two_commands_of_a_fresh_machine() -> None:
    assert "make demo" in README and "make test" in README
