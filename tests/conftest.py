"""Shared fixtures. Core tests use none of these and need no database."""

from __future__ import annotations

from typing import Any

import pytest

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture
def make_user(db: Any) -> Any:
    """Factory: ``make_user("consultant")`` creates a user holding that role."""
    from fhb.accounts.models import User

    def make(role: str, username: str | None = None) -> User:
        return User.objects.create_user(username=username or role, password=PASSWORD, role=role)

    return make


@pytest.fixture
def data_dir(tmp_path: Any, settings: Any) -> Any:
    """Point FHB's data folder (demo files, letters) at a temporary folder."""
    settings.DATA_DIR = tmp_path / "var"
    return settings.DATA_DIR
