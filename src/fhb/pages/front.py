"""The front page: what the staff see first after logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fhb.accounts.access import STAFF_ROLES, role_required
from fhb.citizens.models import Citizen, ImportRun


@role_required(*STAFF_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    citizens = Citizen.objects.in_extract()
    context = {
        "today": today,
        "citizen_count": citizens.count(),
        "alive_count": citizens.alive_on(today).count(),
        "last_import": ImportRun.objects.select_related("user").first(),
    }
    return render(request, "pages/front.html", context)
