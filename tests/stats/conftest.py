"""The statistics tests' world: see tests/stats/world.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stats.world import year_2027_facts


@pytest.fixture
def year_2027(make_user: Any) -> dict[str, Any]:
    return year_2027_facts(make_user)
