"""A year of stored facts for the statistics tests (tests/stats and tests/browser/test_stats.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fhb.citizens.models import Citizen
from fhb.offers.models import Channel, Offer, Request
from fhb.planning.models import Consultant
from fhb.visits.models import Visit
from tests.letters.world import ALONE70, HUSBAND85, PAPER80, TURNS75, WIFE80, at, offer, plan, world


def made(cpr: str, group: str, on: dt.date, reply: str = "") -> Offer:
    target = offer(cpr, group)
    target.offered_on, target.reply = on, reply
    target.reply_date = on + dt.timedelta(days=7) if reply else None
    target.save()
    return target


def visit(target: Offer, when: dt.datetime, status: str, consultant: Any, **values: Any) -> Visit:
    return plan(target, when, status=status, consultant=consultant, **values)


def request(received: dt.date, decided: dt.date | None) -> Request:
    citizen = Citizen.objects.get(cpr=TURNS75["cpr"])
    return Request.objects.create(
        citizen=citizen,
        received=received,
        came_from=Request.From.CITIZEN,
        channel=Channel.PHONE,
        deadline=received + dt.timedelta(days=21),
        decided_on=decided,
        status=Request.Status.GRANTED if decided else Request.Status.PENDING,
    )


def year_2027_facts(make_user: Any) -> dict[str, Any]:
    """Four offers made, three answered; three visits; three requests (on time, late, overdue)."""
    world()
    anna, bo = make_user("consultant", "anna"), make_user("consultant", "bo")
    anna.first_name, bo.first_name = "Anna", "Bo"
    anna.save(), bo.save()
    for user in (anna, bo):
        Consultant.objects.create(user=user, base_lat=57.46, base_lon=9.98)
    aksel = made(ALONE70["cpr"], "alone70", dt.date(2027, 1, 12), Offer.Reply.YES)
    birte = made(WIFE80["cpr"], "age80", dt.date(2027, 1, 12))
    made(HUSBAND85["cpr"], "age82plus", dt.date(2027, 2, 3), Offer.Reply.NO)
    made(TURNS75["cpr"], "age75", dt.date(2027, 2, 3), Offer.Reply.OTHER_TIME)
    # Ella's letter never went: her offer was withdrawn first (she is not counted as due).
    ella = offer(PAPER80["cpr"], "age80")
    ella.status = Offer.Status.WITHDRAWN
    ella.save()
    visit(aksel, at(9, 3, 10), Visit.Status.HELD, anna, held_minutes=75, drive_minutes=20)
    visit(birte, at(10, 3, 10), Visit.Status.CLOSED_DOOR, anna, drive_minutes=15)
    visit(birte, at(14, 4, 10), Visit.Status.HELD, bo, held_minutes=90, drive_minutes=32)
    request(dt.date(2027, 2, 1), dt.date(2027, 2, 10))
    request(dt.date(2027, 3, 1), dt.date(2027, 4, 1))
    request(dt.date(2027, 10, 1), None)
    return {"anna": anna, "bo": bo}
