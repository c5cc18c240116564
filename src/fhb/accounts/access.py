"""Who may see what: every view declares its roles with :func:`role_required`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from fhb.accounts.models import Role, User

View = Callable[..., HttpResponse]

#: Roles that may work with citizens' cases. The dementia coordinator (Ishøj) takes over the visits of
#: citizens with dementia and works their cases like a consultant.
STAFF_ROLES = (Role.CONSULTANT, Role.DEMENTIA_COORDINATOR, Role.LEADER, Role.ADMIN)


def role_required(*roles: str) -> Callable[[View], View]:
    """Let only logged-in users holding one of ``roles`` through; others get the log-in page or 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def staff_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind :func:`role_required` (never anonymous there)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
