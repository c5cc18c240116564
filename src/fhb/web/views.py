"""The front page and the health probe."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
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
    return render(request, "web/home.html", context)


def health(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: answers 200 when the database answers. Open to anyone; tells nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
