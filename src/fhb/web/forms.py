"""Small helpers the apps' views share for forms posted from a page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def form_errors(form: Any) -> str:
    """A form's errors as one line for a message: "first; second"."""
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


def redirect_back(request: HttpRequest, default: str, *args: Any, **kwargs: Any) -> HttpResponse:
    """Back to the page the form came from (the posted ``next``, if on this site), else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    response: HttpResponse = redirect(default, *args, **kwargs)
    return response
