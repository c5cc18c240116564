"""The figures the statistics dashboard reads, counted against the stored rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fhb.citizens.models import Citizen
from fhb.events import actions as event_actions
from fhb.events.models import ClubVisit, Registration
from fhb.offers.models import Channel
from fhb.standards.current import current_standard
from fhb.stats.event_figures import club_visit_figures, seniormesse_figures
from tests.events.world import TODAY, club_visit, dorte, invited_world, seniormesse
from tests.letters.world import ALONE70, HUSBAND85, at

pytestmark = pytest.mark.django_db


def test_seniormesse_figures_per_event_of_the_year() -> None:
    event = invited_world(capacity=40)
    autumn = seniormesse(at(5, 10, 10), name="Efterår")
    seniormesse(at(5, 10, 10).replace(year=2026), name="Sidste år")
    people = [dorte(), *Citizen.objects.filter(cpr__in=[ALONE70["cpr"], HUSBAND85["cpr"]])]
    standard = current_standard()
    rows = [
        event_actions.register(event, c, standard=standard, registered_on=TODAY, channel=Channel.PHONE)
        for c in people
    ]
    event_actions.record_attendance(event, [rows[0].pk, rows[1].pk], today=date(2027, 4, 20))

    figures = seniormesse_figures(2027)
    assert [f["id"] for f in figures] == [event.pk, autumn.pk], "the year's events, by date"
    spring = figures[0]
    assert spring == {
        "id": event.pk,
        "name": "Seniormesse",
        "activity": "seniormesse",
        "date": date(2027, 4, 20),
        "place": "Sundhedscentret",
        "capacity": 40,
        "invited": 1,
        "registered": 3,
        "registered_invited": 1,
        "attended": 2,
        "attendance_recorded": 3,
    }
    assert spring["registered"] == Registration.objects.filter(event=event).count()
    assert spring["attended"] == Registration.objects.filter(event=event, attended=True).count()
    assert figures[1]["registered"] == 0 and figures[1]["attended"] == 0 and figures[1]["capacity"] is None
    assert seniormesse_figures(2025) == []


def test_club_visit_figures_per_month_kind_and_consultant(make_user: Any) -> None:
    karen, kim = make_user("consultant", "karen"), make_user("consultant", "kim")
    club_visit(date(2027, 1, 10), 20, consultant=karen)
    club_visit(date(2027, 1, 24), 12, kind="pensioners", consultant=kim)
    club_visit(date(2027, 6, 3), 30, kind="other", consultant=karen)
    club_visit(date(2026, 12, 31), 99, consultant=karen)  # last year
    club_visit(date(2028, 1, 1), 99, consultant=karen)  # next year

    figures = club_visit_figures(2027)
    assert figures["talks"] == 3 == ClubVisit.objects.filter(date__year=2027).count()
    assert figures["attendees"] == 62
    assert figures["per_month"] == [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert figures["attendees_per_month"] == [32, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0]
    assert figures["per_kind"] == {
        "senior_club": {"label": "Seniorklub / ældreklub", "talks": 1, "attendees": 20},
        "pensioners": {"label": "Pensionistforening", "talks": 1, "attendees": 12},
        "other": {"label": "Andet", "talks": 1, "attendees": 30},
    }
    mine = club_visit_figures(2027, consultant_id=karen.pk)
    assert mine["talks"] == 2 and mine["attendees"] == 50 and mine["per_kind"]["pensioners"]["talks"] == 0
    assert club_visit_figures(2030)["per_month"] == [0] * 12
