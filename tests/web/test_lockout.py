"""Log-in lock-out (django-axes): too many wrong passwords lock one user name from one address, and too
many from one address, whatever the user names, lock the address (password spraying)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fhb.cli import main as fhb_main
from fhb.web.lockout import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 3
PER_ADDRESS = 6
MINUTES = 20


@pytest.fixture(autouse=True)
def axes_on(axes_off: None, settings: Any) -> None:
    """Lock-out on (tests/conftest.py turns it off for every other test), with a small limit."""
    settings.AXES_ENABLED = True
    settings.FHB_LOGIN_FAILURES = LIMIT
    settings.FHB_LOGIN_FAILURES_PER_ADDRESS = PER_ADDRESS
    settings.AXES_COOLOFF_TIME = timedelta(minutes=MINUTES)


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> Any:
    response = None
    for _ in range(times):
        response = log_in(client, username, "forkert-adgangskode", address)
    return response


def test_too_many_wrong_passwords_lock_the_account_even_for_the_right_password(make_user: Any) -> None:
    make_user("consultant", "karen")
    client = Client()
    response = fail(client, "karen", LIMIT - 1)
    assert response.status_code == 200, "below the limit the log-in page just says the password is wrong"

    response = fail(client, "karen", 1)
    assert response.status_code == 429, "the attempt that reaches the limit locks the account"

    response = log_in(client, "karen", PASSWORD)
    assert response.status_code == 429, "the right password does not help while locked"
    assert not response.wsgi_request.user.is_authenticated
    page = response.content.decode()
    assert "Kontoen er låst" in page
    assert f"låst i {MINUTES} minutter" in page, "the page says for how long"
    assert "administratoren" in page, "the page says whom to contact"


def test_success_before_the_limit_resets_the_count(make_user: Any) -> None:
    make_user("consultant", "karen")
    client = Client()
    fail(client, "karen", LIMIT - 1)
    assert logged_in(log_in(client, "karen", PASSWORD))
    client.logout()

    fail(client, "karen", LIMIT - 1)
    assert logged_in(log_in(client, "karen", PASSWORD)), "the failures before the success were forgotten"


def test_other_users_and_other_addresses_are_not_affected(make_user: Any) -> None:
    make_user("consultant", "karen")
    make_user("leader", "lone")
    fail(Client(), "karen", LIMIT)

    assert logged_in(log_in(Client(), "lone", PASSWORD)), "another user from the same address logs in"
    assert logged_in(log_in(Client(), "karen", PASSWORD, address="10.0.0.2")), (
        "the lock is for the combination of user name and address"
    )
    assert log_in(Client(), "karen", PASSWORD).status_code == 429, "still locked from the first address"


def test_one_password_tried_against_many_user_names_locks_the_address(make_user: Any) -> None:
    """Password spraying: each user name fails once or twice, never reaching its own limit; the address
    locks once the failures from it reach FHB_LOGIN_FAILURES_PER_ADDRESS, for every user name."""
    make_user("consultant", "karen")
    make_user("leader", "lone")
    names = [f"bruger{i}" for i in range(PER_ADDRESS - 1)]
    for name in names:
        assert fail(Client(), name, 1, address="10.9.9.9").status_code == 200, "below every limit"
    assert logged_in(log_in(Client(), "lone", PASSWORD, address="10.9.9.9")), (
        "one short of the address's limit"
    )
    fail(Client(), "endnu-en", 1, address="10.9.9.9")
    assert log_in(Client(), "karen", PASSWORD, address="10.9.9.9").status_code == 429, (
        "the address is locked, also for a user name that never failed"
    )
    assert logged_in(log_in(Client(), "karen", PASSWORD, address="10.0.0.3")), "other addresses are not"


def test_an_administrator_unlocks_with_the_reset_command(make_user: Any) -> None:
    make_user("consultant", "karen")
    fail(Client(), "karen", LIMIT)

    call_command("axes_reset_username", "karen", stdout=io.StringIO())
    assert logged_in(log_in(Client(), "karen", PASSWORD)), "unlocked by axes_reset_username"


def test_fhb_passes_the_reset_command_on_to_django(monkeypatch: pytest.MonkeyPatch) -> None:
    passed: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", passed.append)
    assert fhb_main(["axes_reset_username", "karen"]) == 0
    assert passed == [["fhb", "axes_reset_username", "karen"]], "docs/operations.md: fhb axes_reset_username"


def test_behind_proxies_the_address_comes_from_x_forwarded_for(rf: Any, settings: Any) -> None:
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert client_ip(request) == "127.0.0.1", "no proxy configured: the header is not trusted"
    settings.FHB_PROXY_COUNT = 1
    assert client_ip(request) == "192.0.2.7", "one proxy: the address it saw, not what the client wrote"
