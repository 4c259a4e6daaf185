"""Fixtures every part of the contract suite shares."""

from __future__ import annotations

import uuid

import pytest


class ContractFixtures:
    """``unique_name``; the subclass (or a conftest) provides ``tracking``."""

    @pytest.fixture
    def unique_name(self) -> str:
        """An experiment name no other test uses (the backend may be shared)."""
        return f"exp-{uuid.uuid4().hex[:12]}"
