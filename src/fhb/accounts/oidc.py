"""Log-in through the municipality's identity provider (OpenID Connect), an option beside the password.

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE, the token's signature); this
module decides who the user is and what they may do. The identity provider is the source of truth: every
log-in finds the user by the username claim (or creates them) and sets name, e-mail and role from the
claims, the role from the groups claim through ``FHB_OIDC_ROLE_MAP``. Someone whose groups map to no fhb
role is refused with a Danish message. Nobody becomes a superuser this way, and the superuser (the local
administrator, who logs in with the password) cannot be reached this way.

Settings: the OpenID Connect block of fhb.web.settings; the operator's guide: docs/operations.md.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from fhb.accounts.models import Role, User

log = logging.getLogger(__name__)

#: When the groups give several roles, the user gets the first of these they hold.
ROLE_PRECEDENCE = (Role.ADMIN, Role.LEADER, Role.DEMENTIA_COORDINATOR, Role.CONSULTANT)

#: The claim used when the configured username claim is missing (every provider sends "sub").
FALLBACK_USERNAME_CLAIM = "sub"

#: Where the backend leaves, on the request, the Danish reason for a refusal and the ID token, for the
#: callback view.
REFUSAL_ATTRIBUTE = "fhb_oidc_refusal"
ID_TOKEN_ATTRIBUTE = "fhb_oidc_id_token"

#: The cookie that marks a browser that logged in through the provider, for the log-out to end that session
#: too; its value is the cache key of the ID token sent along as ``id_token_hint``.
LOGOUT_COOKIE = "fhb_oidc_logout"
LOGOUT_CACHE_SECONDS = 12 * 60 * 60


def username_from_claims(claims: dict[str, Any], claim: str) -> str:
    """The user name: the configured claim, else ``sub``; empty when the provider sent neither."""
    for name in (claim, FALLBACK_USERNAME_CLAIM):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            if name != claim:
                log.warning("OIDC: no %r claim, using %r as the user name", claim, name)
            return value.strip()
    return ""


def role_from_claims(claims: dict[str, Any], claim: str, role_map: dict[str, str]) -> str | None:
    """The fhb role the user's groups give (the highest, by :data:`ROLE_PRECEDENCE`), or None.

    ``claim`` holds a list of group names or ids, or one as a string (AD FS sends a string for a single
    group); ``role_map`` maps case-folded group names to roles (``parse_role_map`` in the settings)."""
    value = claims.get(claim)
    groups = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    roles = {role_map.get(str(group).strip().casefold()) for group in groups}
    return next((role for role in ROLE_PRECEDENCE if role in roles), None)


class OIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # the library has no type hints
    """Authenticates the identity provider's callback; password log-ins are left to the other backends."""

    request: HttpRequest

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # The callback view passes a nonce; a password log-in never does, and never reaches the provider
        # (not even with ?code=...&state=... in the log-in page's address).
        if request is None or "nonce" not in kwargs:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; this checks that the token is for fhb from
        the configured provider."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"OIDC: the token is for {audience!r}, not for this client")
        if str(payload.get("iss", "")).rstrip("/") != settings.FHB_OIDC_ISSUER:
            raise SuspiciousOperation(f"OIDC: the token comes from {payload.get('iss')!r}, not the issuer")
        return payload

    def store_tokens(self, access_token: str, id_token: str) -> None:
        """Nothing in the session; the ID token only on the request, for the log-out's hint."""
        setattr(self.request, ID_TOKEN_ATTRIBUTE, id_token)

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims with what the user-info endpoint adds: Entra ID sends the groups only in
        the ID token and the names only from the user-info endpoint; AD FS puts everything in the token."""
        userinfo: dict[str, Any] = {}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
        return {**userinfo, **payload}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not username_from_claims(claims, settings.FHB_OIDC_USERNAME_CLAIM):
            self.refuse(
                _("Kommunens login sendte ikke dit brugernavn. Kontakt it-afdelingen."),
                "no user name in the claims",
            )
        if self.role_of(claims) is None:
            self.refuse(
                _(
                    "Du har ikke adgang til fhb: ingen af dine grupper i kommunens login giver en rolle i "
                    "fhb. Kontakt din leder eller it-afdelingen."
                ),
                # The claims' names (not their values) help to find the right FHB_OIDC_ROLES_CLAIM.
                f"no group in {settings.FHB_OIDC_ROLES_CLAIM!r} maps to an fhb role "
                f"(the claims: {', '.join(sorted(claims))})",
            )
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        username = username_from_claims(claims, settings.FHB_OIDC_USERNAME_CLAIM)
        return User.objects.filter(username__iexact=username)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        user: User | None = super().get_or_create_user(access_token, id_token, payload)
        if user is None:  # FHB_OIDC_CREATE_USERS is off and fhb does not know the user
            self.refuse(_("Du har ingen bruger i fhb. Kontakt administratoren."), "unknown user")
        return user

    def create_user(self, claims: dict[str, Any]) -> User:
        """A new user without a password: they log in through the provider only."""
        user = User(username=username_from_claims(claims, settings.FHB_OIDC_USERNAME_CLAIM))
        user.set_unusable_password()
        return self.apply_claims(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        """The same user as before, or one an administrator created with the same user name (their
        password, if any, keeps working)."""
        if user.is_superuser:
            self.refuse(
                _("Denne bruger er fhb's lokale administrator og logger ind med brugernavn og adgangskode."),
                "the user is a superuser",
            )
        if not user.is_active:
            self.refuse(_("Din bruger i fhb er spærret. Kontakt administratoren."), "the user is inactive")
        return self.apply_claims(user, claims)

    def apply_claims(self, user: User, claims: dict[str, Any]) -> User:
        """Name, e-mail and role from the claims (a claim the provider did not send leaves the field)."""
        given, family, name = (
            str(claims.get(c) or "").strip() for c in ("given_name", "family_name", "name")
        )
        if not (given or family) and name:
            given, _space, family = name.rpartition(" ")
            given, family = (given, family) if given else (family, "")
        if given or family:
            user.first_name, user.last_name = given[:150], family[:150]
        email = str(claims.get("email") or "").strip()
        if email:
            user.email = email[:254]
        role = self.role_of(claims)
        assert role is not None  # verify_claims refused the user otherwise
        user.role = role
        user.is_staff = role == Role.ADMIN  # the admin pages; a user moved out of the admin group loses them
        user.save()
        log.info("OIDC: %s logged in as %s", user.username, role)
        return user

    def get_user(self, user_id: int) -> User | None:
        """As Django's own backend: a user deactivated meanwhile is logged out on the next request."""
        user: User | None = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def role_of(self, claims: dict[str, Any]) -> str | None:
        return role_from_claims(claims, settings.FHB_OIDC_ROLES_CLAIM, settings.FHB_OIDC_ROLE_MAP)

    def refuse(self, message: str, reason: str) -> NoReturn:
        """Refuse the log-in: the library logs ``reason``; the callback view shows ``message``."""
        setattr(self.request, REFUSAL_ATTRIBUTE, message)
        raise SuspiciousOperation(f"OIDC log-in refused: {reason}")


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # the library has no type hints
    """Where the provider sends the user back: log in, or back to the log-in page saying why not."""

    request: HttpRequest

    @property
    def failure_url(self) -> str:
        return resolve_url("login")

    def login_failure(self) -> HttpResponseBase:
        reason = getattr(
            self.request,
            REFUSAL_ATTRIBUTE,
            _("Log-in med kommunens login mislykkedes. Prøv igen, eller kontakt it-afdelingen."),
        )
        messages.error(self.request, reason)
        response: HttpResponseBase = super().login_failure()
        return response

    def login_success(self) -> HttpResponseBase:
        response: HttpResponseBase = super().login_success()
        if settings.FHB_OIDC_END_SESSION_ENDPOINT:
            key = get_random_string(32)
            cache.set(
                f"{LOGOUT_COOKIE}:{key}", getattr(self.request, ID_TOKEN_ATTRIBUTE, ""), LOGOUT_CACHE_SECONDS
            )
            response.set_cookie(
                LOGOUT_COOKIE,
                key,
                path=reverse("oidc-logout"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


@never_cache
def end_session(request: HttpRequest) -> HttpResponse:
    """After fhb's own log-out (``LOGOUT_REDIRECT_URL``): end the session at the provider too, when this
    browser logged in through it; else just the log-in page.

    A page that moves on by itself (a meta refresh), not a redirect: the log-out is a form, and browsers
    hold a form's redirects to the content security policy's ``form-action 'self'``, which would stop them
    at the provider's address. The address is in the page, not in a header: with the ID token as the hint
    it can be longer than a reverse proxy's buffer for response headers (nginx: 4 KB by default)."""
    key = request.COOKIES.get(LOGOUT_COOKIE)
    if not key or not settings.FHB_OIDC_END_SESSION_ENDPOINT:
        return redirect("login")
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    id_token = cache.get(f"{LOGOUT_COOKIE}:{key}")
    if id_token:
        params["id_token_hint"] = id_token
    cache.delete(f"{LOGOUT_COOKIE}:{key}")
    url = f"{settings.FHB_OIDC_END_SESSION_ENDPOINT}?{urlencode(params)}"
    response = render(request, "registration/login.html", {"oidc_end_session_url": url})
    response.delete_cookie(LOGOUT_COOKIE, path=reverse("oidc-logout"))
    return response


def is_provider_callback(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """django-axes' ``AXES_WHITELIST_CALLABLE``: the provider's callback carries no password, so the
    lock-out neither counts it nor stops it (the provider guards its own log-in)."""
    match = request.resolver_match
    return match is not None and match.url_name == "oidc-callback"


urlpatterns = [
    path("log-ind/", OIDCAuthenticationRequestView.as_view(), name="oidc-login"),
    path("callback/", CallbackView.as_view(), name="oidc-callback"),
    path("log-ud/", end_session, name="oidc-logout"),
]
