"""Security headers that Django 5.2 does not set by itself."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

#: No inline script, no third-party origin: every asset is served by the app itself (but the map's tiles
#: from the municipality's own tile server, when ``FHB_MAP_TILES`` is set).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def policy_with_tiles(tiles: str) -> str:
    """The policy, letting images come from the tile server of ``FHB_MAP_TILES`` too when it is set."""
    if not tiles:
        return CONTENT_SECURITY_POLICY
    url = urlsplit(tiles)
    return CONTENT_SECURITY_POLICY.replace(
        "img-src 'self' data:;", f"img-src 'self' data: {url.scheme}://{url.netloc};"
    )


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    policy = policy_with_tiles(settings.FHB_MAP_TILES)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response

    return middleware


def no_store_for_staff(get_response: Callable[[HttpRequest], HttpResponse]):  # type: ignore[no-untyped-def]
    """Every page and file a logged-in user gets may hold personal data (a citizen, a letter, an export):
    no browser or proxy may keep a copy (``Cache-Control: no-store``, private). The log-in page and the
    static files are cached as before."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
