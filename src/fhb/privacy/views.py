"""The right-of-access export (indsigt) of one citizen, as a JSON download for the leader."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fhb.accounts.access import role_required, staff_user
from fhb.accounts.models import Role
from fhb.citizens.models import Citizen
from fhb.privacy.access_export import export_filename, record_export


@never_cache
@role_required(Role.LEADER, Role.ADMIN)
def citizen_export(request: HttpRequest, cpr: str) -> HttpResponse:
    """Everything fhb holds about the citizen as a JSON file; logged as a read of the journal."""
    citizen = get_object_or_404(Citizen, cpr=cpr)
    data = record_export(citizen, staff_user(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = export_filename(citizen, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
