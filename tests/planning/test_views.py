"""The planning pages in the browser: the plan, a week, a day's route, moving and booking visits, and the
consultant's calendar feed."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from fhb.jobs.models import Job
from fhb.letters.models import Letter
from fhb.planning.models import Absence, ClosingDay, Consultant, PlanRun
from fhb.visits.models import Visit
from fhb.web.middleware import policy_with_tiles
from tests.conftest import run_queued_jobs
from tests.planning.world import CALLER, EAST, NORTH, WEST, at, consultant, offer, staff, visit, world

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    assert response.status_code == 200, f"expected a page, got {response.status_code}"
    return str(response.content.decode())


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The pages' "today": Monday 1 March 2027, inside the plan year of the offers."""
    day = date(2027, 3, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return day


# --- the plan --------------------------------------------------------------------------------------------


def test_leader_sees_the_latest_plan_with_its_warnings_and_the_waiting_collapsed(
    client: Any, today: date
) -> None:
    karen, _lise = world()
    leader = staff("leder", role="leader")
    PlanRun.objects.create(
        first=date(2027, 3, 1),
        last=date(2027, 3, 28),
        seconds=1,
        summary={
            "visits": 12,
            "promised": 3,
            "days": 6,
            "driving_min": 240,
            "driving_min_per_visit": 20.0,
            "driving_share": 0.125,
            "created": 9,
            "moved": 2,
            "removed": 1,
            "not_placed": [
                {
                    "key": "offers:1",
                    "citizens": [{"cpr": EAST["cpr"], "name": EAST["name"]}],
                    "reason": "no_capacity",
                    "text": "Konsulenternes dage er fulde i besøgets periode.",
                    "warning": True,
                },
                {
                    "key": "offers:2",
                    "citizens": [{"cpr": WEST["cpr"], "name": WEST["name"]}],
                    "reason": "later",
                    "text": "Kan vente til en senere plan.",
                    "warning": False,
                },
            ],
            "missing_place": [],
        },
    )
    client.force_login(leader)
    html = page(client.get(reverse("plan-overview")))
    assert "12" in html and "240 min" in html and "20,0 min" in html and "12 %" in html, "summary figures"
    assert "9 nye, 2 flyttet, 1 kladder fjernet" in html
    warning = f'<a href="{reverse("citizen-detail", args=[EAST["cpr"]])}">{EAST["name"]}</a>'
    assert warning + ": Konsulenternes dage er fulde" in html, "a capacity warning names the citizen"
    assert "<details" in html and "1 besøg venter på en senere plan" in html and WEST["name"] in html
    assert reverse("plan-week", args=[karen.user_id]) in html, "each consultant links to her week"
    assert 'name="first" value="2027-03-08"' in html and 'name="weeks" value="4"' in html, (
        "next Monday, 4 weeks"
    )


def test_leader_runs_the_planner_from_the_page(client: Any, settings: Any) -> None:
    settings.FHB_PLAN_SECONDS = 0.5
    world()
    client.force_login(staff("leder", role="leader"))
    response = client.post(reverse("plan-run"), {"first": "2027-03-01", "weeks": "1"})
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk]), "the page returns at once"
    assert not PlanRun.objects.exists(), "the worker lays the plan"
    assert run_queued_jobs() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Planen er lagt for 01.03.2027–07.03.2027" in page and reverse("plan-overview") in page
    run = PlanRun.objects.get()
    assert run.user is not None and run.user.username == "leder"
    assert Visit.objects.filter(start__date__range=(date(2027, 3, 1), date(2027, 3, 7))).count() == 3, (
        "the three waiting offers with a time get visits in the week"
    )


def test_plan_run_refuses_more_than_26_weeks(client: Any) -> None:
    world()
    client.force_login(staff("leder", role="leader"))
    response = client.post(reverse("plan-run"), {"first": "2027-03-01", "weeks": "27"}, follow=True)
    assert "Planen blev ikke lagt" in messages_of(response)
    assert not PlanRun.objects.exists() and not Job.objects.exists()


def test_a_second_plan_run_while_one_waits_is_refused_naming_it(client: Any) -> None:
    world()
    client.force_login(staff("leder", role="leader"))
    client.post(reverse("plan-run"), {"first": "2027-03-01", "weeks": "1"})
    response = client.post(reverse("plan-run"), {"first": "2027-03-01", "weeks": "1"}, follow=True)
    assert "«Plan for 1 uge(r) fra 01.03.2027» er allerede i kø" in messages_of(response)
    assert Job.objects.count() == 1


# --- a week and a day ------------------------------------------------------------------------------------


def test_week_shows_visits_holidays_closing_days_and_absences(client: Any) -> None:
    karen, _lise = world()
    ClosingDay.objects.create(day=date(2027, 3, 22), reason="Kommunen holder lukket")
    Absence.objects.create(consultant=karen, kind="course", start=at(23, 3, 10), end=at(23, 3, 12))
    visit(EAST, at(24, 3, 9), karen, fixed=True)
    visit(WEST, at(24, 3, 11), karen)
    client.force_login(karen.user)
    html = page(client.get(reverse("plan-week", args=[karen.user_id]), {"uge": "2027-W12"}))
    assert "uge 12, 2027" in html
    assert "Kommunen holder lukket" in html and "Skærtorsdag" in html and "Langfredag" in html
    assert "Kursus 10.00–12.00" in html
    assert EAST["name"] in html and "Østergade 1, 9800 Hjørring" in html and "Planlagt" in html
    assert html.count("🔒") == 1, "only the visit moved by hand is promised (no letters yet)"
    assert reverse("plan-day", args=[karen.user_id, date(2027, 3, 24)]) in html
    assert "lørdag" not in html, "Saturday only shows when it has visits"
    assert "?uge=2027-W11" in html and "?uge=2027-W13" in html, "previous and next week"
    assert reverse("plan-week", args=[_lise.user_id]) in html, "the consultant picker"


def test_own_week_shows_the_feed_address_and_a_colleagues_week_does_not(client: Any) -> None:
    karen, lise = world()
    client.force_login(karen.user)
    own = page(client.get(reverse("plan-week", args=[karen.user_id])))
    assert reverse("consultant-ical", args=[karen.ical_token]) in own
    assert "aldrig borgerens navn eller CPR-nummer" in own
    assert reverse("ical-reset", args=[karen.user_id]) in own
    other = page(client.get(reverse("plan-week", args=[lise.user_id])))
    assert lise.ical_token not in other and reverse("ical-reset", args=[lise.user_id]) not in other


def test_day_shows_the_route_in_order_with_driving_lunch_and_a_map(client: Any) -> None:
    karen, _lise = world()
    first = visit(WEST, at(2, 3, 9), karen)
    second = visit(NORTH, at(2, 3, 13), karen)
    client.force_login(karen.user)
    html = page(client.get(reverse("plan-day", args=[karen.user_id, date(2027, 3, 2)])))
    assert "Afgang fra Sundhedscentret" in html and "Tilbage ved Sundhedscentret" in html
    assert html.index(WEST["name"]) < html.index("Frokost") < html.index(NORTH["name"]), "time order"
    assert "12.00–12.30" in html, "lunch at the preferred time when it is free"
    assert re.search(r"Kørsel i alt: \d+ min", html)
    assert (
        "<svg" in html
        and "<polyline" in html
        and html.count('class="stop"') == 2
        and 'class="outline"' in html
    )
    assert '<g class="base"><rect' in html and "Start: Sundhedscentret" in html, "the start place is drawn"
    assert re.search(r'<g class="town">.*?>Hjørring</text>', html), "the town is named on the map"
    assert "<image" not in html, "no tiles without a tile server"
    assert reverse("visit-move", args=[first.pk]) in html and reverse("visit-move", args=[second.pk]) in html


def test_the_day_map_shows_the_municipalitys_tiles_and_the_policy_lets_them_in(
    client: Any, settings: Any
) -> None:
    karen, _lise = world()
    visit(WEST, at(2, 3, 9), karen)
    settings.FHB_MAP_TILES = "https://kort.hjoerring.example/tiles/{z}/{x}/{y}.png"
    client.force_login(karen.user)
    html = page(client.get(reverse("plan-day", args=[karen.user_id, date(2027, 3, 2)])))
    assert re.search(r'<image href="https://kort\.hjoerring\.example/tiles/\d+/\d+/\d+\.png"', html)
    assert "Baggrundskort fra kommunens kortserver." in html
    policy = policy_with_tiles(settings.FHB_MAP_TILES)
    assert "img-src 'self' data: https://kort.hjoerring.example;" in policy
    assert "img-src 'self' data:;" in policy_with_tiles(""), "no other origin without a tile server"


# --- moving a visit --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "time", "expected"),
    [
        ("2027-03-25", "10:00", "Den 25.03.2027 er en helligdag (Skærtorsdag)."),
        ("2027-03-03", "15:00", "uden for arbejdstiden for Karen Konsulent (8.00–15.30)"),
        ("2027-03-06", "10:00", "Karen Konsulent arbejder ikke om lørdagen."),
        ("2027-03-02", "10:30", "overlapper et andet besøg hos Karen Konsulent kl. 10.00–11.00"),
        ("2027-03-04", "10:00", "Karen Konsulent er fraværende (ferie)"),
        ("2027-03-05", "10:00", "Kommunen holder lukket den 05.03.2027 (Personaledag)."),
    ],
)
def test_move_refuses_a_time_the_consultant_cannot_hold(
    client: Any, day: str, time: str, expected: str
) -> None:
    karen, _lise = world()
    Absence.objects.create(consultant=karen, kind="holiday", start=at(4, 3, 0), end=at(5, 3, 0))
    ClosingDay.objects.create(day=date(2027, 3, 5), reason="Personaledag")
    visit(WEST, at(2, 3, 10), karen)
    moving = visit(EAST, at(1, 3, 9), karen)
    versions = moving.history.count()
    client.force_login(karen.user)
    url = reverse("visit-move", args=[moving.pk])
    html = page(client.post(url, {"day": day, "time": time, "consultant": karen.user_id}))
    assert expected in html, f"the page should say why: {expected}"
    moving.refresh_from_db()
    assert moving.start == at(1, 3, 9) and not moving.fixed, "nothing changed"
    assert moving.history.count() == versions, "no new version in the history"


def told_by_letter(moving: Visit) -> None:
    """The citizen of ``moving`` (EAST) had its time in a delivered letter."""
    Letter.objects.create(
        kind="offer_with_time",
        channel="digital_post",
        title="Tilbud",
        citizen=offer(EAST).citizen,
        visit=moving,
        content={},
        status="delivered",
    )


def test_a_move_sets_the_time_fixed_keeps_history_and_tells_a_told_citizen(client: Any) -> None:
    karen, lise = world()
    moving = visit(EAST, at(1, 3, 9), karen)
    told_by_letter(moving)
    client.force_login(karen.user)
    data = {"day": "2027-03-03", "time": "13:00", "consultant": lise.user_id}
    refused = client.post(reverse("visit-move", args=[moving.pk]), data)
    assert "Skriv, hvorfor besøget gives til en anden konsulent" in refused.content.decode(), (
        "a consultant who gives her visit away says why"
    )
    data["reason"] = "Karen er på kursus"
    response = client.post(reverse("visit-move", args=[moving.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plan-day", args=[lise.user_id, date(2027, 3, 3)])
    text = messages_of(response)
    assert "flyttet til 03.03.2027 kl. 13.00 hos Lise Larsen" in text and "Brev om nyt tidspunkt" in text
    moving.refresh_from_db()
    assert moving.start == at(3, 3, 13) and moving.end == at(3, 3, 14) and moving.fixed
    assert moving.consultant_id == lise.user_id
    old = moving.history.order_by("history_date").first()
    assert old is not None and old.start == at(1, 3, 9), "history keeps the old time"
    latest = moving.history.order_by("-history_date").first()
    assert latest is not None and latest.history_user_id == karen.user_id, "who"
    assert latest.history_change_reason == (
        f"Givet fra {karen} til {lise} af {karen.user.username}: Karen er på kursus"
    ), "from whom, to whom and why, kept on the visit"
    new_time = Letter.objects.get(kind="new_time")
    assert new_time.visit_id == moving.pk and new_time.status == Letter.Status.QUEUED


def test_a_move_the_letter_cannot_announce_in_time_is_refused_and_says_to_call(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A citizen told her time in a letter learns a new one by letter only if it arrives before the new
    day: on Monday 1 March 2027 a letter arrives on Wednesday (two working days), so Tuesday is refused
    and nothing changes; Thursday is fine."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2027, 3, 1))
    karen, _lise = world()
    moving = visit(EAST, at(5, 3, 9), karen)
    told_by_letter(moving)
    client.force_login(karen.user)
    url = reverse("visit-move", args=[moving.pk])
    refused = page(client.post(url, {"day": "2027-03-03", "time": "13:00", "consultant": karen.user_id}))
    assert (
        "Et brev sendt 01.03.2027 er først fremme 03.03.2027, og det nye tidspunkt er 03.03.2027: borgeren "
        "når ikke at få brevet. Ring til borgeren og aftal tiden"
    ) in " ".join(refused.split())
    moving.refresh_from_db()
    assert moving.start == at(5, 3, 9) and not Letter.objects.filter(kind="new_time").exists()
    client.post(url, {"day": "2027-03-04", "time": "13:00", "consultant": karen.user_id})
    moving.refresh_from_db()
    assert moving.start == at(4, 3, 13) and Letter.objects.filter(kind="new_time").count() == 1


def test_a_consultant_cannot_move_a_colleagues_visit_to_herself(client: Any) -> None:
    """Problem 2 of the protection issue: moving a colleague's visit to oneself used to open the protected
    address; now only the visit's consultant or a leader moves it."""
    karen, lise = world()
    moving = visit(EAST, at(1, 3, 9), karen)
    client.force_login(lise.user)
    data = {"day": "2027-03-01", "time": "9:00", "consultant": lise.user_id, "reason": "Jeg tager den"}
    response = client.post(reverse("visit-move", args=[moving.pk]), data)
    assert "Kun besøgets egen konsulent eller en leder" in response.content.decode()
    moving.refresh_from_db()
    assert moving.consultant_id == karen.user_id


def test_a_move_without_a_letter_sends_none(client: Any) -> None:
    karen, _lise = world()
    moving = visit(EAST, at(1, 3, 9), karen)
    client.force_login(karen.user)
    data = {"day": "2027-03-01", "time": "13:00", "consultant": karen.user_id}
    response = client.post(reverse("visit-move", args=[moving.pk]), data, follow=True)
    assert "Besøget er flyttet" in messages_of(response) and "Brev" not in messages_of(response)
    assert not Letter.objects.exists()


def test_a_held_visit_cannot_be_moved(client: Any) -> None:
    karen, _lise = world()
    held = visit(EAST, at(1, 3, 9), karen, status=Visit.Status.HELD)
    client.force_login(karen.user)
    data = {"day": "2027-03-02", "time": "10:00", "consultant": karen.user_id}
    html = page(client.post(reverse("visit-move", args=[held.pk]), data))
    assert "Kun planlagte besøg kan flyttes" in html
    held.refresh_from_db()
    assert held.start == at(1, 3, 9)


# --- the calendar feed -----------------------------------------------------------------------------------


def test_the_feed_has_the_visits_without_names_or_cpr_numbers(client: Any) -> None:
    karen, lise = world()
    soon = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=7)
    kept = visit(EAST, soon, karen)
    visit(WEST, soon + dt.timedelta(hours=2), karen, status=Visit.Status.CANCELLED)
    visit(NORTH, soon, lise)
    visit(NORTH, soon + dt.timedelta(days=200), karen)
    response = client.get(reverse("consultant-ical", args=[karen.ical_token]))
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    for who in (EAST, WEST, NORTH):
        assert who["cpr"] not in body and who["name"] not in body, "no CPR number or name in the feed"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"visit-{kept.pk}@fhb"], "her visits only, not cancelled"
    event = events[0]
    assert str(event["SUMMARY"]) == "Forebyggende hjemmebesøg"
    assert str(event["LOCATION"]) == "Østergade 1, 9800 Hjørring"
    assert event.decoded("DTSTART") == soon and event.decoded("DTEND") == soon + dt.timedelta(hours=1)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"


def test_the_feed_of_an_unknown_token_or_an_inactive_consultant_is_not_found(client: Any) -> None:
    karen, _lise = world()
    assert client.get(reverse("consultant-ical", args=["x" * 32])).status_code == 404
    Consultant.objects.filter(pk=karen.pk).update(active=False)
    assert client.get(reverse("consultant-ical", args=[karen.ical_token])).status_code == 404


def test_a_consultant_gives_her_feed_a_new_address_and_the_old_stops_working(client: Any) -> None:
    karen, lise = world()
    old = karen.ical_token
    client.force_login(karen.user)
    response = client.post(reverse("ical-reset", args=[karen.user_id]), follow=True)
    assert "ny adresse" in messages_of(response)
    karen.refresh_from_db()
    assert karen.ical_token != old
    assert client.get(reverse("consultant-ical", args=[old])).status_code == 404
    assert client.get(reverse("consultant-ical", args=[karen.ical_token])).status_code == 200
    assert client.post(reverse("ical-reset", args=[lise.user_id])).status_code == 403, "not a colleague's"


def test_a_leader_may_give_a_consultants_feed_a_new_address(client: Any) -> None:
    karen, _lise = world()
    old = karen.ical_token
    client.force_login(staff("leder", role="leader"))
    assert client.post(reverse("ical-reset", args=[karen.user_id])).status_code == 302
    karen.refresh_from_db()
    assert karen.ical_token != old


# --- free times for a citizen on the phone ----------------------------------------------------------------

SLOT = re.compile(r'name="consultant" value="(\d+)"><input type="hidden" name="start" value="([^"]+)"')


def test_the_slots_page_shows_ten_times_over_five_days_and_booking_one_makes_a_fixed_visit(
    client: Any, today: date
) -> None:
    karen, _lise = world()
    visit(EAST, at(2, 3, 9), karen)
    caller = offer(CALLER)
    client.force_login(karen.user)
    citizen_page = page(client.get(reverse("citizen-detail", args=[CALLER["cpr"]])))
    assert reverse("offer-slots", args=[caller.pk]) in citizen_page, "the citizen page links to free times"
    html = page(client.get(reverse("offer-slots", args=[caller.pk])))
    slots = SLOT.findall(html)
    assert len(slots) >= 10 and html.count('class="slot"') == len(slots), "ten free times or more"
    assert len({start[:10] for _user, start in slots}) >= 5, "spread over five days"
    assert len({start[11:] for _user, start in slots}) >= 3, "at different times of day"
    assert "ekstra kørsel" in html and ("Karen Konsulent" in html or "Lise Larsen" in html)
    user_id, start = slots[0]
    response = client.post(
        reverse("offer-slot-book", args=[caller.pk]), {"consultant": user_id, "start": start}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("citizen-detail", args=[CALLER["cpr"]])
    assert "Besøget er booket" in messages_of(response)
    booked = caller.visits.get()
    assert booked.fixed and booked.consultant_id == int(user_id) and booked.status == Visit.Status.PLANNED
    assert timezone.localtime(booked.start).strftime("%Y-%m-%dT%H:%M") == start
    assert booked.start.date() > today
    assert booked.end - booked.start == dt.timedelta(minutes=60)


def test_booking_a_time_taken_meanwhile_fails_with_a_message(client: Any, today: date) -> None:
    karen, _lise = world()
    caller = offer(CALLER)
    client.force_login(karen.user)
    user_id, start = SLOT.findall(page(client.get(reverse("offer-slots", args=[caller.pk]))))[0]
    taken = timezone.make_aware(dt.datetime.fromisoformat(start))
    by = Consultant.objects.get(user_id=int(user_id))
    visit(NORTH, taken, by)  # a colleague booked the time on another phone
    response = client.post(
        reverse("offer-slot-book", args=[caller.pk]), {"consultant": user_id, "start": start}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("offer-slots", args=[caller.pk])
    text = messages_of(response)
    assert "Tiden blev ikke booket" in text and "overlapper et andet besøg" in text
    assert not caller.visits.exists()


def test_the_slots_page_narrows_to_a_week_a_day_a_time_of_day_and_a_consultant(
    client: Any, today: date
) -> None:
    karen, lise = world()
    caller = offer(CALLER)
    client.force_login(karen.user)
    url = reverse("offer-slots", args=[caller.pk])
    form = page(client.get(url))
    assert (
        'name="uge"' in form
        and "Uge 9 (1.–7. marts)" in form
        and "Uge 10 (8.–14. marts)" in form
        and 'name="konsulent"' in form
    )

    def starts(**wish: Any) -> list[tuple[int, dt.datetime]]:
        found = [(int(u), dt.datetime.fromisoformat(s)) for u, s in SLOT.findall(page(client.get(url, wish)))]
        assert found, f"no times for {wish}"
        return found

    week = starts(uge="2027-03-08")
    assert {s.isocalendar()[1] for _u, s in week} == {10} and len({s.date() for _u, s in week}) == 5
    assert {s.date() for _u, s in starts(uge="2027-03-08", dag="2")} == {date(2027, 3, 10)}, "a Wednesday"
    assert {s.weekday() for _u, s in starts(dag="4")} == {4}, "Fridays in any week"
    assert all(s.hour < 12 for _u, s in starts(tid="formiddag"))
    assert all(s.hour >= 12 for _u, s in starts(tid="eftermiddag"))
    assert {u for u, _s in starts(konsulent=str(lise.user_id))} == {lise.user_id}
    assert starts(uge="1999-01-04", dag="9", tid="nat", konsulent="99999999999"), "nonsense is any"


def test_the_slots_page_for_an_offer_with_a_visit_says_so(client: Any, today: date) -> None:
    karen, _lise = world()
    visit(CALLER, at(2, 3, 9), karen)
    client.force_login(karen.user)
    html = page(client.get(reverse("offer-slots", args=[offer(CALLER).pk])))
    assert "Tilbuddet har allerede et besøg." in html and 'class="slot"' not in html


def test_a_week_of_a_user_who_is_not_a_planning_consultant_is_not_found(client: Any) -> None:
    world()
    nobody = staff("nn")
    client.force_login(nobody)
    assert client.get(reverse("plan-week", args=[nobody.pk])).status_code == 404
    consultant(nobody, active=False)
    assert client.get(reverse("plan-week", args=[nobody.pk])).status_code == 200
