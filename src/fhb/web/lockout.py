"""The log-in lock-out (django-axes): the client address it counts failed attempts by, how many it allows,
and its page."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or behind ``FHB_PROXY_COUNT`` reverse proxies the address
    the outermost of them saw (counted from the right of ``X-Forwarded-For``, the part the proxies wrote;
    what a client puts there itself stays to the left and is never used)."""
    proxies: int = settings.FHB_PROXY_COUNT
    if proxies > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [a.strip() for a in header.split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """How many failed log-ins lock this attempt's user name at this address (django-axes'
    ``AXES_FAILURE_LIMIT``, compared with that combination's failures).

    ``FHB_LOGIN_FAILURES`` for one user name from one address; but once an address has failed
    ``FHB_LOGIN_FAILURES_PER_ADDRESS`` times within the lock-out time, whatever the user names (one password
    tried against every user name: password spraying), the limit is 0 and every user name from it is
    locked. Counted here rather than as an axes lockout parameter of its own: axes resets every parameter
    of a successful log-in, so one colleague's log-in from the office's address would unlock another's
    user name."""
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    from_address = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    if (from_address or 0) >= settings.FHB_LOGIN_FAILURES_PER_ADDRESS:
        return 0
    limit: int = settings.FHB_LOGIN_FAILURES
    return limit


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out log-in gets (django-axes' ``AXES_LOCKOUT_CALLABLE``): HTTP 429, in Danish."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"minutes": minutes, "failures": settings.FHB_LOGIN_FAILURES}
    return render(request, "registration/locked_out.html", context, status=429)
