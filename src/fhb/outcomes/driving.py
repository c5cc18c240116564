"""The driving a visit cost its consultant, kept on the visit when its outcome is recorded."""

from __future__ import annotations

from django.utils import timezone

from fhb.planning.days import day_route
from fhb.planning.models import Consultant
from fhb.visits.models import Visit


def drive_minutes(visit: Visit) -> int | None:
    """The driving the visit cost its consultant: from the previous stop of the day (or the start place),
    and for the day's last visit the way back too. None when the visit has no consultant with a working
    profile or a leg has no coordinates. Kept on the visit when the outcome is recorded, so the statistics
    count driving as it was that day, whatever later happens to the plan or the citizen's address."""
    if visit.consultant_id is None:
        return None
    consultant = Consultant.objects.filter(user_id=visit.consultant_id).first()
    if consultant is None:
        return None
    route = day_route(consultant, timezone.localdate(visit.start))
    for stop in route.stops:
        if stop.visit.pk == visit.pk:
            if stop.drive_min is None:
                return None
            if stop is route.stops[-1]:
                return None if route.back_drive_min is None else stop.drive_min + route.back_drive_min
            return stop.drive_min
    return None
