"""A collective arrangement as the offer (issue 20), through the app with Køge Kommune's file
(tests/data/standards/koege): the 70-year-olds living alone and the 75-year-olds are invited to a
fællesarrangement held on several dates and places, sign up for one from the offer (within its places), or
ask for an individual visit instead; whoever signed up and did not come is offered the visit (a task on
"Mine opgaver"); the leader's statistics count what became of the invitations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.events import actions as event_actions
from fhb.events.models import Event, Registration
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.outbox import render_pending
from fhb.offers.actions import register_answer, start_run
from fhb.offers.models import EligibilityRun, Offer
from fhb.pages import worklist
from fhb.pages.worklist import At, Kind
from fhb.standards.current import standard_named
from fhb.stats.arrangement_figures import arrangement_figures
from fhb.stats.dashboard import dashboard
from fhb.stats.figures import Filters
from tests.citizens.builders import citizens_csv, events_csv, person
from tests.letters.test_outbox import flat, pdf_text
from tests.letters.world import sender_settings
from tests.standard_files import standard_file_in_force

pytestmark = pytest.mark.django_db

PATH = Path(__file__).parents[1] / "data" / "standards" / "koege" / "koege.toml"
CPH = ZoneInfo("Europe/Copenhagen")

# Plan year 2027: a man living alone turning 70, a woman turning 75 living with her husband of 72 (he is in no
# group), and a man turning 80 (a visit, not the arrangement).
ALONE70 = person("0303571231", "Asger Køgesen", "adr-1")
TURNS75 = person("0505524322", "Bodil Borup", "adr-2", civil_status="G", spouse_cpr="0505541233")
SPOUSE75 = person("0505541233", "Bent Borup", "adr-2", civil_status="G", spouse_cpr="0505524322")
TURNS80 = person("0808471235", "Carl Herfølge", "adr-3")
PEOPLE = [ALONE70, TURNS75, SPOUSE75, TURNS80]

LETTER_DAY = date(2027, 1, 15)
ACTIVITY = "faellesarrangement"
NAME = "Fællesarrangement om et godt seniorliv"


@pytest.fixture(autouse=True)
def koege_in_force(settings: Any) -> Iterator[None]:
    yield from standard_file_in_force(settings, PATH)


def koege() -> QualityStandard:
    return standard_named(str(PATH))


def event(day: date, hour: int, place: str, capacity: int | None = None, activity: str = ACTIVITY) -> Event:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=CPH)
    return Event.objects.create(
        activity=activity,
        name=NAME,
        place=place,
        start=start,
        end=start + dt.timedelta(hours=2),
        capacity=capacity,
    )


@pytest.fixture
def run() -> EligibilityRun:
    import_extract(ImportFile("citizens.csv", citizens_csv(PEOPLE)), ImportFile("events.csv", events_csv([])))
    sender_settings()
    return start_run(2027, "yearly", on=date(2027, 1, 1), standard=koege())


@pytest.fixture
def dates(run: EligibilityRun) -> dict[str, Event]:
    """Four dates of the arrangement: one already past when the letters go out, one full, two open."""
    found = {
        "past": event(date(2027, 1, 12), 10, "Rådhuset, Køge"),
        "full": event(date(2027, 3, 3), 10, "Forsamlingshuset, Tureby", capacity=1),
        "koege": event(date(2027, 3, 10), 10, "Medborgerhuset, Køge", capacity=30),
        "borup": event(date(2027, 3, 24), 14, "Biblioteket, Borup"),
    }
    taker = Citizen.objects.get(cpr=TURNS80["cpr"])
    event_actions.register(found["full"], taker, standard=koege(), registered_on=LETTER_DAY, channel="phone")
    return found


def offer_of(who: dict[str, Any]) -> Offer:
    return Offer.objects.get(citizen__cpr=who["cpr"], decision=Offer.Decision.OFFER)


def visit_instead(who: dict[str, Any], day: date) -> None:
    """``who`` asks on the phone on ``day`` for the individual visit instead of the arrangement."""
    register_answer(
        offer_of(who), Offer.Reply.YES, channel="phone", received=day, today=day, standard=koege()
    )


def at(day: date) -> At:
    return At(dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC), day)


EVERYONE = worklist.Scope(kinds=frozenset(Kind.ALL), everyone=True)


def no_shows(day: date) -> set[str]:
    return {t.citizen_cpr for t in worklist.tasks(EVERYONE, at(day), limit=50).get(Kind.NO_SHOW, [])}


def test_the_run_offers_the_arrangement_to_70_alone_and_75(run: EligibilityRun) -> None:
    offers = {(o.citizen.cpr, o.group, o.letter) for o in Offer.objects.select_related("citizen")}
    assert offers == {
        (ALONE70["cpr"], "alone70", "without_time"),
        (TURNS75["cpr"], "age75", "without_time"),
        (TURNS80["cpr"], "age80", "with_time"),
    }


def test_without_a_date_the_invitations_wait_and_say_why(run: EligibilityRun) -> None:
    dispatch = send_run_letters(run, today=LETTER_DAY, standard=koege())
    assert not Letter.objects.filter(kind="invitation").exists()
    waiting = " ".join(dispatch.summary["waiting"])
    assert f"Der er ingen {NAME} i 2027 med ledige pladser" in waiting


def test_the_invitation_lists_every_open_date_in_koeges_wording(dates: dict[str, Event]) -> None:
    run = EligibilityRun.objects.get()
    send_run_letters(run, today=LETTER_DAY, standard=koege())
    render_pending(processes=1)
    invitations = {x.citizen.cpr: x for x in Letter.objects.filter(kind="invitation")}
    assert set(invitations) == {ALONE70["cpr"], TURNS75["cpr"]}
    text = flat(pdf_text(bytes(invitations[ALONE70["cpr"]].pdf)))  # type: ignore[arg-type]
    assert (
        "I år fylder du 70 år, og derfor vil Køge Kommunes forebyggelseskonsulenter gerne invitere dig"
        in text
    )
    assert "Medborgerhuset, Køge" in text and "Biblioteket, Borup" in text
    assert "Forsamlingshuset, Tureby" not in text, "the full date is left out"
    assert "Rådhuset, Køge" not in text, "the date before the letter is left out"
    assert "i stedet for fællesarrangementet" in text
    assert "Tilbuddet gives efter Ældreloven." in text
    content = invitations[TURNS75["cpr"]].content
    assert content["arrangement"] is True
    assert [e["place"] for e in [content["event"], *content["other_events"]]] == [
        "Medborgerhuset, Køge",
        "Biblioteket, Borup",
    ]


def test_the_invited_are_counted_at_each_date_they_were_offered(dates: dict[str, Event]) -> None:
    run = EligibilityRun.objects.get()
    send_run_letters(run, today=LETTER_DAY, standard=koege())
    page = dashboard(Filters(year=2027), koege(), date(2027, 2, 1)).table("moeder")
    invited = {row[0]: row[2] for row in page.rows}
    assert invited == {
        "Rådhuset, Køge": 0,
        "Forsamlingshuset, Tureby": 0,
        "Medborgerhuset, Køge": 2,
        "Biblioteket, Borup": 2,
    }


def test_a_consultant_signs_the_citizen_up_from_the_offer(
    dates: dict[str, Event], client: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2027, 2, 1))
    client.force_login(make_user("consultant"))
    offer = offer_of(ALONE70)
    page = client.get(reverse("citizen-detail", args=[ALONE70["cpr"]])).content.decode()
    assert "Tilbuddet er et fællesarrangement" in page
    assert "Ønsker et individuelt besøg i stedet" in page and "Et andet tidspunkt" not in page
    assert "Medborgerhuset, Køge (30 ledige pladser)" in page
    assert "Forsamlingshuset, Tureby" not in page, "a full date is not offered"
    url = reverse("offer-sign-up", args=[offer.pk])
    form = {"registered_on": "2027-02-01", "channel": "phone", "note": ""}

    reply = client.post(url, {**form, "event": dates["koege"].pk}, follow=True)
    assert "Asger Køgesen er tilmeldt Medborgerhuset, Køge den 10.03.2027." in reply.content.decode()
    assert Registration.objects.filter(citizen__cpr=ALONE70["cpr"], event=dates["koege"]).exists()

    again = client.post(url, {**form, "event": dates["koege"].pk}, follow=True).content.decode()
    full = client.post(url, {**form, "event": dates["full"].pk}, follow=True).content.decode()
    future = client.post(
        url, {**form, "registered_on": "2027-02-02", "event": dates["borup"].pk}, follow=True
    )
    assert "Tilmeldingen blev ikke gemt: Borgeren er allerede tilmeldt." in again
    assert "Tilmeldingen blev ikke gemt: datoen er ikke en af dem, borgeren kan tilmeldes" in full
    assert "Datoen kan ikke ligge i fremtiden." in future.content.decode()
    assert Registration.objects.filter(citizen__cpr=ALONE70["cpr"]).count() == 1


def test_whoever_did_not_come_is_offered_the_visit_until_answered(dates: dict[str, Event]) -> None:
    standard = koege()
    alone70 = Citizen.objects.get(cpr=ALONE70["cpr"])
    turns75 = Citizen.objects.get(cpr=TURNS75["cpr"])
    for citizen in (alone70, turns75):
        event_actions.register(
            dates["koege"], citizen, standard=standard, registered_on=LETTER_DAY, channel="phone"
        )
    assert no_shows(date(2027, 3, 9)) == set()
    event_actions.record_attendance(
        dates["koege"],
        [r.pk for r in dates["koege"].registrations.filter(citizen=turns75)],
        today=date(2027, 3, 10),
    )
    assert no_shows(date(2027, 3, 11)) == {ALONE70["cpr"]}, "she came; he did not"
    task = worklist.tasks(EVERYONE, at(date(2027, 3, 11)), limit=5)[Kind.NO_SHOW][0]
    assert task.what == "Mødte ikke op 10.03.2027: tilbyd et individuelt besøg"
    assert task.due == date(2027, 3, 17) and task.url == reverse("citizen-detail", args=[ALONE70["cpr"]])
    assert worklist.tasks(EVERYONE, at(date(2027, 3, 20)), limit=5)[Kind.NO_SHOW][0].overdue

    # Signed up for another date: no task while that date is ahead.
    later = event_actions.register(
        dates["borup"], alone70, standard=standard, registered_on=date(2027, 3, 11), channel="phone"
    )
    assert no_shows(date(2027, 3, 12)) == set()
    event_actions.cancel(later)
    assert no_shows(date(2027, 3, 12)) == {ALONE70["cpr"]}

    # He asks for the individual visit instead: the task goes (booking the visit is the next step).
    visit_instead(ALONE70, date(2027, 3, 12))
    assert no_shows(date(2027, 3, 12)) == set()


def test_the_statistics_count_what_became_of_the_invitations(dates: dict[str, Event]) -> None:
    standard = koege()
    run = EligibilityRun.objects.get()
    send_run_letters(run, today=LETTER_DAY, standard=standard)
    alone70 = Citizen.objects.get(cpr=ALONE70["cpr"])
    turns75 = Citizen.objects.get(cpr=TURNS75["cpr"])
    event_actions.register(
        dates["koege"], alone70, standard=standard, registered_on=LETTER_DAY, channel="phone"
    )
    event_actions.register(
        dates["koege"], turns75, standard=standard, registered_on=LETTER_DAY, channel="phone"
    )
    event_actions.record_attendance(
        dates["koege"],
        [r.pk for r in dates["koege"].registrations.filter(citizen=turns75)],
        today=date(2027, 3, 10),
    )
    visit_instead(ALONE70, date(2027, 3, 12))
    figures = {f.group: f for f in arrangement_figures(2027, standard)}
    assert [f for f in figures] == ["alone70", "age75"]
    one = figures["alone70"]
    assert (one.offers, one.invited, one.signed_up, one.attended, one.no_show, one.visit_instead) == (
        1,
        1,
        1,
        0,
        1,
        1,
    )
    two = figures["age75"]
    assert (two.offers, two.invited, two.signed_up, two.attended, two.no_show, two.visit_instead) == (
        1,
        1,
        1,
        1,
        0,
        0,
    )
    table = dashboard(Filters(year=2027), standard, date(2027, 3, 12)).table("faellesarrangementer")
    assert table.rows[0][2:] == (1, 1, 1, 0, 1, 1, 0, 0)


def test_a_no_to_the_arrangement_gives_the_place_back(
    dates: dict[str, Event], client: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2027, 2, 1))
    alone70 = Citizen.objects.get(cpr=ALONE70["cpr"])
    event_actions.register(
        dates["koege"], alone70, standard=koege(), registered_on=LETTER_DAY, channel="phone"
    )
    client.force_login(make_user("consultant"))
    answer = {"reply": "no", "channel": "phone", "received": "2027-02-01", "note": ""}
    page = client.post(reverse("offer-answer", args=[offer_of(ALONE70).pk]), answer, follow=True)
    html = page.content.decode()
    assert "Svaret er registreret." in html
    assert (
        "Tilmeldingen til Medborgerhuset, Køge den 10.03.2027 er afmeldt, så pladsen kan gå til andre."
        in html
    )
    assert not Registration.objects.filter(citizen=alone70).exists()
    assert offer_of(ALONE70).reply == Offer.Reply.NO
