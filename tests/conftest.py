"""Shared fixtures. Core tests use none of these and need no database."""

from __future__ import annotations

from typing import Any

import pytest

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture(autouse=True)
def axes_off(settings: Any) -> None:
    """Turn the log-in lock-out (django-axes) off: its backend needs the request, and ``client.login()``
    passes none (the axes docs' advice for tests). tests/web/test_lockout.py turns it on again."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 (production's hasher, checked in tests/web/test_access.py) takes about a second a hash by
    design; tests make and log in users all the time, so they hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    """Each test starts with an empty cache (the statistics page keeps its figures there a while)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
