"""Log-in through the municipality's identity provider (OpenID Connect), with a fake provider: no network.

The settings are read from the environment by the settings module itself (loaded afresh with the test's
variables); the provider's token, key and user-info endpoints are answered by a stand-in for ``requests``
inside mozilla-django-oidc, so the library's own checks (state, nonce, signature, expiry) run for real.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import ModuleType
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import mozilla_django_oidc.auth
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse
from jwt.algorithms import RSAAlgorithm

from fhb.accounts.models import Role, User
from fhb.accounts.oidc import role_from_claims, username_from_claims
from fhb.web import settings as fhb_settings
from tests.conftest import PASSWORD
from tests.web.test_access import EXPECTED, our_url_names

ISSUER = "https://login.example.dk/kommune/v2.0"
CLIENT_ID = "fhb-klient"
PROVIDER = "https://login.example.dk/kommune"
ENV = {
    "FHB_OIDC_ISSUER": ISSUER,
    "FHB_OIDC_CLIENT_ID": CLIENT_ID,
    "FHB_OIDC_CLIENT_SECRET": "hemmelig",
    "FHB_OIDC_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "FHB_OIDC_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "FHB_OIDC_USERINFO_ENDPOINT": f"{PROVIDER}/userinfo",
    "FHB_OIDC_JWKS_ENDPOINT": f"{PROVIDER}/keys",
    "FHB_OIDC_END_SESSION_ENDPOINT": f"{PROVIDER}/logout",
    "FHB_OIDC_ROLE_MAP": (
        "FHB-Konsulenter=consultant, FHB-Ledere=leader, FHB-Admin=admin, FHB-Demens=dementia_coordinator"
    ),
}
BUTTON = "Log ind med kommunens login"
NO_ROLE = "Du har ikke adgang til fhb"

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWK = {**RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True), "kid": "nøgle-1", "alg": "RS256", "use": "sig"}


def load_settings(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> ModuleType:
    """fhb/web/settings.py executed afresh with ``env`` as its FHB_OIDC_ variables."""
    for name in list(os.environ):
        if name.startswith("FHB_OIDC_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fhb_settings_under_test", fhb_settings.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reload_urls() -> None:
    """Build the URL patterns again, as a process starting with the current settings would."""
    importlib.reload(importlib.import_module("fhb.web.urls"))
    clear_url_caches()


@pytest.fixture
def oidc_on(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Factory: turn log-in through the provider on with ``ENV`` (plus overrides), as the settings read it."""

    def turn_on(**overrides: str) -> None:
        loaded = load_settings(monkeypatch, {**ENV, **overrides})
        for name in dir(loaded):
            if name.startswith(("OIDC_", "FHB_OIDC_")) or name in (
                "AUTHENTICATION_BACKENDS",
                "AXES_WHITELIST_CALLABLE",
                "LOGOUT_REDIRECT_URL",
            ):
                setattr(settings, name, getattr(loaded, name))
        reload_urls()

    yield turn_on
    settings.FHB_OIDC_ENABLED = False
    reload_urls()


@pytest.fixture
def oidc(oidc_on: Callable[..., None]) -> None:
    oidc_on()


# --- the fake provider -----------------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, url: str, body: dict[str, Any]) -> None:
        self.url, self.body, self.status_code, self.text = url, body, 200, ""
        self.headers = {"content-type": "application/json"}

    def json(self) -> dict[str, Any]:
        return self.body

    def raise_for_status(self) -> None:
        pass


@contextmanager
def fake_provider(id_token: str, userinfo: dict[str, Any]) -> Iterator[mock.Mock]:
    """The provider's token, key and user-info endpoints; yields the stand-in for ``requests``."""
    fake = mock.Mock()
    fake.post.side_effect = lambda url, **kw: FakeResponse(url, {"id_token": id_token, "access_token": "at"})
    bodies = {ENV["FHB_OIDC_JWKS_ENDPOINT"]: {"keys": [JWK]}, ENV["FHB_OIDC_USERINFO_ENDPOINT"]: userinfo}
    fake.get.side_effect = lambda url, **kw: FakeResponse(url, bodies[url])
    with mock.patch.object(mozilla_django_oidc.auth, "requests", fake):
        yield fake


def id_token(nonce: str, claims: dict[str, Any], **changes: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce, **changes}
    return jwt.encode({**payload, **claims}, KEY, algorithm="RS256", headers={"kid": JWK["kid"]})


def karen(*groups: str, **more: Any) -> dict[str, Any]:
    claims = {"sub": "x7Fq", "preferred_username": "karen@kommune.dk", "groups": list(groups)}
    return {**claims, **more}


def log_in(
    client: Client,
    claims: dict[str, Any],
    userinfo: dict[str, Any] | None = None,
    token_changes: dict[str, Any] | None = None,
) -> Any:
    """The whole round: the log-in button, the provider (faked), its callback; the callback's response."""
    start = client.get(reverse("oidc-login"))
    assert start.status_code == 302 and start["Location"].startswith(ENV["FHB_OIDC_AUTHORIZATION_ENDPOINT"])
    query = parse_qs(urlsplit(start["Location"]).query)
    token = id_token(query["nonce"][0], claims, **(token_changes or {}))
    userinfo = {"sub": claims["sub"], **(userinfo or {})}
    with fake_provider(token, userinfo):
        return client.get(reverse("oidc-callback"), {"code": "koden", "state": query["state"][0]})


def logged_in_as(response: Any) -> User | None:
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def shown_messages(client: Client, response: Any) -> list[str]:
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]]


# --- settings --------------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_off_by_default_with_only_the_password_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_settings(monkeypatch, {})
    assert loaded.FHB_OIDC_ENABLED is False
    assert loaded.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    assert not hasattr(loaded, "OIDC_RP_CLIENT_ID") and loaded.LOGOUT_REDIRECT_URL == "login"


def test_on_keeps_axes_first_and_the_password_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_settings(monkeypatch, ENV)
    assert loaded.FHB_OIDC_ENABLED is True
    assert loaded.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "fhb.accounts.oidc.OIDCBackend",
    ], "axes first, so that it refuses a locked-out password log-in before the password is checked"
    assert loaded.OIDC_RP_SIGN_ALGO == "RS256" and loaded.OIDC_RP_SCOPES == "openid email profile"
    assert loaded.FHB_OIDC_USERNAME_CLAIM == "preferred_username" and loaded.FHB_OIDC_ROLES_CLAIM == "groups"
    assert loaded.OIDC_CREATE_USER is True and loaded.OIDC_USE_PKCE is True
    assert loaded.FHB_OIDC_ROLE_MAP == {
        "fhb-konsulenter": "consultant",
        "fhb-ledere": "leader",
        "fhb-admin": "admin",
        "fhb-demens": "dementia_coordinator",
    }
    assert loaded.LOGOUT_REDIRECT_URL == "oidc-logout", "the log-out goes on to end the provider's session"


def test_half_a_configuration_is_refused_naming_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(monkeypatch, {"FHB_OIDC_ISSUER": ISSUER, "FHB_OIDC_CLIENT_ID": CLIENT_ID})
    message = str(refused.value)
    assert "FHB_OIDC_CLIENT_SECRET" in message and "FHB_OIDC_JWKS_ENDPOINT" in message
    assert f"{ISSUER}/.well-known/openid-configuration" in message, "says where the endpoints are listed"


def test_hs256_needs_no_key_endpoint_and_user_info_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {k: v for k, v in ENV.items() if k not in ("FHB_OIDC_JWKS_ENDPOINT", "FHB_OIDC_USERINFO_ENDPOINT")}
    loaded = load_settings(monkeypatch, {**env, "FHB_OIDC_SIGN_ALGO": "HS256"})
    assert loaded.OIDC_OP_JWKS_ENDPOINT is None and loaded.OIDC_OP_USER_ENDPOINT == ""


@pytest.mark.parametrize("role_map", ["FHB-Chefer=boss", "FHB-Konsulenter", "=consultant", " , "])
def test_a_role_map_naming_no_fhb_role_is_refused(monkeypatch: pytest.MonkeyPatch, role_map: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="FHB_OIDC_ROLE_MAP"):
        load_settings(monkeypatch, {**ENV, "FHB_OIDC_ROLE_MAP": role_map})


def test_the_settings_know_every_role() -> None:
    assert set(fhb_settings.FHB_ROLES) == set(Role.values), "update FHB_ROLES in fhb/web/settings.py"


# --- the claims ------------------------------------------------------------------------------------------

ROLE_MAP = fhb_settings.parse_role_map(ENV["FHB_OIDC_ROLE_MAP"])


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (["FHB-Konsulenter"], "consultant"),
        (["fhb-konsulenter"], "consultant"),  # AD compares group names without regard to case
        ("FHB-Ledere", "leader"),  # AD FS sends a single group as a string
        (["FHB-Konsulenter", "FHB-Admin", "Alle ansatte"], "admin"),  # the highest role wins
        (["FHB-Demens", "FHB-Konsulenter"], "dementia_coordinator"),
        (["Alle ansatte"], None),
        ([], None),
        (None, None),
    ],
)
def test_role_from_groups(groups: Any, role: str | None) -> None:
    assert role_from_claims({"groups": groups}, "groups", ROLE_MAP) == role


def test_username_falls_back_to_sub() -> None:
    assert username_from_claims({"upn": "karen@kommune.dk", "sub": "x7Fq"}, "upn") == "karen@kommune.dk"
    assert username_from_claims({"sub": "x7Fq"}, "upn") == "x7Fq"
    assert username_from_claims({}, "upn") == ""


# --- off: the page and the URLs as before ----------------------------------------------------------------


def test_off_there_are_no_provider_urls_and_no_button(client: Client, settings: Any) -> None:
    assert not settings.FHB_OIDC_ENABLED, "the tests expect no FHB_OIDC_ variables in the environment"
    with pytest.raises(NoReverseMatch):
        reverse("oidc-login")
    page = client.get(reverse("login")).content.decode()
    assert BUTTON not in page and "Lokalt login" not in page
    assert 'name="password"' in page


# --- on: the log-in page, the round trip -----------------------------------------------------------------


def test_on_the_page_has_the_button_and_the_local_form_folded(client: Client, oidc: None) -> None:
    page = client.get(reverse("login"), {"next": "/borgere/"}).content.decode()
    assert BUTTON in page
    assert f'href="{reverse("oidc-login")}?next=/borgere/"' in page, "the button keeps the page asked for"
    assert "<summary>Lokalt login (administrator)</summary>" in page and 'name="password"' in page


def test_on_the_provider_urls_are_open_to_anyone(client: Client, oidc: None) -> None:
    assert our_url_names() - set(EXPECTED) == {"oidc-login", "oidc-callback", "oidc-logout"}
    for name in ("oidc-login", "oidc-callback", "oidc-logout"):
        response = client.get(reverse(name))
        assert response.status_code == 302, f"{name}: like the log-in page, open without logging in"


def test_the_button_goes_to_the_provider_with_state_nonce_and_pkce(client: Client, oidc: None) -> None:
    response = client.get(reverse("oidc-login"))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"], "the address to register"
    assert query["state"] and query["nonce"] and query["code_challenge_method"] == ["S256"]


def test_first_log_in_creates_the_user_with_the_mapped_role(client: Client, oidc: None) -> None:
    userinfo = {"given_name": "Karen", "family_name": "Jensen", "email": "kaje@kommune.dk"}
    response = log_in(client, karen("FHB-Konsulenter"), userinfo)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = logged_in_as(response)
    assert user is not None and user.username == "karen@kommune.dk"
    assert (user.role, user.first_name, user.last_name, user.email) == (
        "consultant",
        "Karen",
        "Jensen",
        "kaje@kommune.dk",
    ), "the names come from the user-info endpoint, the role from the ID token's groups"
    assert not user.has_usable_password(), "a user from the provider has no password in fhb"
    assert not user.is_superuser and not user.is_staff
    assert client.get(reverse("citizen-list")).status_code == 200, "the consultant's pages open"


def test_a_later_log_in_follows_the_changed_groups(client: Client, oidc: None) -> None:
    log_in(client, karen("FHB-Admin", name="Karen Jensen"))
    user = User.objects.get(username="karen@kommune.dk")
    assert (user.role, user.is_staff, user.first_name, user.last_name) == ("admin", True, "Karen", "Jensen")
    client.logout()

    log_in(Client(), karen("FHB-Ledere", name="Karen Marie Holm"))
    user.refresh_from_db()
    assert user.role == "leader", "the provider is the source of truth for the role"
    assert not user.is_staff, "out of the admin group, out of the admin pages"
    assert (user.first_name, user.last_name) == ("Karen Marie", "Holm")
    assert User.objects.count() == 1


def test_no_mapped_group_is_refused_with_a_danish_message(client: Client, oidc: None) -> None:
    response = log_in(client, karen("Alle ansatte"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logged_in_as(response) is None
    assert not User.objects.exists(), "nobody is created without a role"
    assert any(NO_ROLE in m for m in shown_messages(client, response))


def test_a_user_who_lost_all_groups_is_refused_and_keeps_no_access(client: Client, oidc: None) -> None:
    log_in(Client(), karen("FHB-Ledere"))
    response = log_in(client, karen())
    assert logged_in_as(response) is None
    assert any(NO_ROLE in m for m in shown_messages(client, response))


def test_a_locally_created_user_is_found_by_user_name_and_keeps_the_password(
    client: Client, oidc: None
) -> None:
    local = User.objects.create_user(username="Karen@Kommune.dk", password=PASSWORD, role="consultant")
    response = log_in(client, karen("FHB-Ledere"))
    assert logged_in_as(response) == local, "the same user (user names compared without regard to case)"
    local.refresh_from_db()
    assert local.role == "leader" and User.objects.count() == 1
    assert Client().login(username="Karen@Kommune.dk", password=PASSWORD), "the password still works"


def test_the_local_superuser_cannot_be_reached_through_the_provider(client: Client, oidc: None) -> None:
    User.objects.create_superuser(username="karen@kommune.dk", password=PASSWORD)
    response = log_in(client, karen("FHB-Konsulenter"))
    assert logged_in_as(response) is None
    assert any("lokale administrator" in m for m in shown_messages(client, response))
    assert User.objects.get().is_superuser and User.objects.get().role == "consultant", "nothing changed"


def test_a_deactivated_user_stays_out(client: Client, oidc: None) -> None:
    User.objects.create_user(username="karen@kommune.dk", role="consultant", is_active=False)
    response = log_in(client, karen("FHB-Konsulenter"))
    assert logged_in_as(response) is None
    assert any("spærret" in m for m in shown_messages(client, response))


def test_without_creating_users_only_known_users_log_in(client: Client, oidc_on: Callable[..., None]) -> None:
    oidc_on(FHB_OIDC_CREATE_USERS="0")
    response = log_in(client, karen("FHB-Konsulenter"))
    assert logged_in_as(response) is None and not User.objects.exists()
    assert any("ingen bruger i fhb" in m for m in shown_messages(client, response))

    User.objects.create_user(username="karen@kommune.dk", role="consultant")
    assert logged_in_as(log_in(Client(), karen("FHB-Konsulenter"))) is not None


def test_another_username_claim_ad_fs_style(client: Client, oidc_on: Callable[..., None]) -> None:
    oidc_on(FHB_OIDC_USERNAME_CLAIM="upn", FHB_OIDC_ROLES_CLAIM="group")
    claims = {
        "sub": "ppid-hash",
        "upn": "kaje@kommune.dk",
        "unique_name": r"KOMMUNE\kaje",
        "group": "FHB-Demens",
    }
    user = logged_in_as(log_in(client, claims))
    assert user is not None and (user.username, user.role) == ("kaje@kommune.dk", "dementia_coordinator")


@pytest.mark.parametrize(
    ("changes", "why"),
    [({"aud": "en-anden-app"}, "audience"), ({"iss": "https://evil.example/v2.0"}, "issuer")],
)
def test_a_token_for_another_app_or_from_another_issuer_is_refused(
    client: Client, oidc: None, changes: dict[str, str], why: str
) -> None:
    response = log_in(client, karen("FHB-Konsulenter"), token_changes=changes)
    assert response.status_code == 400, f"a token with the wrong {why} is a suspicious request"
    assert not User.objects.exists()


def test_a_replayed_callback_is_refused(client: Client, oidc: None) -> None:
    start = client.get(reverse("oidc-login"))
    query = parse_qs(urlsplit(start["Location"]).query)
    token = id_token(query["nonce"][0], karen("FHB-Konsulenter"))
    with fake_provider(token, {"sub": "x7Fq"}):
        first = client.get(reverse("oidc-callback"), {"code": "koden", "state": query["state"][0]})
        client.logout()
        again = client.get(reverse("oidc-callback"), {"code": "koden", "state": query["state"][0]})
    assert logged_in_as(first) is not None
    assert logged_in_as(again) is None, "the state is used once"


def test_the_provider_saying_no_leads_back_to_the_log_in_page(client: Client, oidc: None) -> None:
    response = client.get(reverse("oidc-callback"), {"error": "access_denied", "state": "x"})
    assert response["Location"] == reverse("login")
    assert any("mislykkedes" in m for m in shown_messages(client, response))


def test_a_password_log_in_never_reaches_the_provider(client: Client, oidc: None, make_user: Any) -> None:
    make_user("admin", "lokaladmin")
    with fake_provider("", {}) as provider:
        wrong = client.post(
            reverse("login") + "?code=x&state=y", {"username": "lokaladmin", "password": "forkert-kode"}
        )
        right = client.post(reverse("login"), {"username": "lokaladmin", "password": PASSWORD})
    assert wrong.status_code == 200 and logged_in_as(right) is not None
    assert not provider.post.called and not provider.get.called


# --- log-out ---------------------------------------------------------------------------------------------


def test_log_out_ends_the_session_at_the_provider_too(client: Client, oidc: None) -> None:
    log_in(client, karen("FHB-Konsulenter"))
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("oidc-logout")
    assert "_auth_user_id" not in client.session, "logged out of fhb first"

    page = client.get(response["Location"])
    assert page.status_code == 200, "a page that moves on, not a redirect (CSP form-action 'self')"
    moves_on = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page.content.decode())
    assert moves_on, "the page moves on to the provider by itself"
    url = html.unescape(moves_on.group(1))
    assert url.startswith(ENV["FHB_OIDC_END_SESSION_ENDPOINT"] + "?")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == ["http://testserver/log-ind/"]
    assert query["id_token_hint"][0].count(".") == 2, "the ID token from the log-in as the hint"
    assert "Log ud af kommunens login" in page.content.decode(), "a link in case the page does not move on"

    again = client.get(reverse("oidc-logout"))
    assert again.status_code == 302 and again["Location"] == reverse("login"), "once only"


def test_a_password_user_logs_out_locally_only(client: Client, oidc: None, make_user: Any) -> None:
    make_user("admin", "lokaladmin")
    client.login(username="lokaladmin", password=PASSWORD)
    page = client.get(client.post(reverse("logout"))["Location"])
    assert page.status_code == 302 and page["Location"] == reverse("login"), "never logged in at the provider"


def test_without_an_end_session_endpoint_logging_out_is_local(
    client: Client, oidc_on: Callable[..., None]
) -> None:
    oidc_on(FHB_OIDC_END_SESSION_ENDPOINT="")
    log_in(client, karen("FHB-Konsulenter"))
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


# --- the lock-out still counts passwords -----------------------------------------------------------------


@pytest.fixture
def axes_on(axes_off: None, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.FHB_LOGIN_FAILURES = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def test_wrong_passwords_still_lock_with_the_provider_on(oidc: None, axes_on: None, make_user: Any) -> None:
    make_user("admin", "lokaladmin")
    for _ in range(2):
        last = Client().post(reverse("login"), {"username": "lokaladmin", "password": "forkert-kode"})
    assert last.status_code == 429, "the lock-out works for password log-ins"
    locked = Client().post(reverse("login"), {"username": "lokaladmin", "password": PASSWORD})
    assert locked.status_code == 429 and logged_in_as(locked) is None


def test_refused_provider_log_ins_do_not_lock_anyone_out(oidc: None, axes_on: None) -> None:
    for _ in range(3):
        refused = log_in(Client(), karen("Alle ansatte"))
        assert refused.status_code == 302, "a refusal leads to the log-in page, never to the lock-out page"
    assert logged_in_as(log_in(Client(), karen("FHB-Konsulenter"))) is not None
