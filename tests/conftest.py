"""Shared fixtures. Core tests use none of these and need no database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

PASSWORD = "korrekt-hest-batteri-42"


def rolled_back_block() -> transaction.Atomic:
    """An atomic block a test opens (to roll back what happens inside) that the app's durable actions may
    run inside, as they run inside the blocks of Django's own TestCase: Django marks those the same way,
    and its durability check skips a block so marked."""
    block = transaction.atomic()
    block._from_testcase = True
    return block


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


def run_queued_jobs() -> int:
    """Run every queued background job as ``fhb worker`` would, in this process; the number run."""
    from fhb.jobs.worker import run_next

    ran = 0
    while run_next("tests:0"):
        ran += 1
    return ran
