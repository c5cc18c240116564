"""Small helpers the apps' views share for forms posted from a page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

#: The years a date given to fhb may fall in: room for any birth, visit or plan, and far from the ends of
#: Python's calendar (years 1 and 9999), where a page that steps a day or a week on would fail.
YEARS = range(1900, 2200)


def plausible_year(day: dt.date) -> bool:
    return day.year in YEARS


def validate_year(day: dt.date) -> None:
    """A form field's validator: the date lies in :data:`YEARS`."""
    if not plausible_year(day):
        raise ValidationError(
            _("Datoen skal ligge mellem år %(first)s og %(last)s.") % {"first": YEARS[0], "last": YEARS[-1]},
            code="year",
        )


def validate_not_future(day: dt.date) -> None:
    """A form field's validator: the date is today or before (a letter or call cannot arrive tomorrow)."""
    if day > timezone.localdate():
        raise ValidationError(_("Datoen kan ikke ligge i fremtiden."), code="future")


class DateInput(forms.DateInput):
    """An ``<input type="date">``. The browser shows the date in the user's language but takes and sends it
    as ISO 8601 (``2026-12-07``): a Danish-formatted value (``07.12.2026``) would leave the field empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def form_errors(form: Any) -> str:
    """A form's errors as one line for a message: "first; second"."""
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


def redirect_back(request: HttpRequest, default: str, *args: Any, **kwargs: Any) -> HttpResponse:
    """Back to the page the form came from (the posted ``next``, if on this site), else ``default``."""
    target = request.POST.get("next", "")
    # A path on this site only: ``redirect()`` would take any other word for the name of a view (a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    response: HttpResponse = redirect(default, *args, **kwargs)
    return response
