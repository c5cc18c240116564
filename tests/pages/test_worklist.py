"""The worklist "Mine opgaver" (issue 19): every kind of task appears for the right person while its data
says it is due, and leaves the list when it is done; the leader sees all, with counts on the front page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.accounts.models import User
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.letters.models import Letter
from fhb.offers.actions import decide_request, register_answer
from fhb.offers.assessment_actions import record_no_need
from fhb.offers.models import Assessment, EligibilityRun, FollowUp, Offer, Request
from fhb.pages import worklist
from fhb.pages.worklist import At, Kind, Scope, Task
from fhb.planning.models import Absence, Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import BASE, citizens_csv
from tests.conftest import PASSWORD
from tests.visible_text import problems_in, shipped_group_ids, visible_text

pytestmark = pytest.mark.django_db

#: A fixed moment for the query tests: Monday 7 December 2026, 08:00 in Denmark.
NOW = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)
AT = At(NOW, dt.date(2026, 12, 7))
ALL = Scope(kinds=frozenset(Kind.ALL), everyone=True)

ASE, BENT, CLARA, DAN = "0101501234", "0202481235", "0303441236", "0404371237"


@pytest.fixture
def people(make_user: Any) -> dict[str, User]:
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    users = {
        "karen": make_user("consultant", "karen"),
        "kim": make_user("consultant", "kim"),
        "demens": make_user("dementia_coordinator", "demens"),
        "leder": make_user("leader", "leder"),
        "admin": make_user("admin", "admin"),
    }
    users["karen"].first_name, users["karen"].last_name = "Karen", "Konsulent"
    users["karen"].save()
    return users


def citizen(cpr: str) -> Citizen:
    return Citizen.objects.get(cpr=cpr)


def offer(cpr: str, *, group: str = "age80", year: int = 2026, **values: Any) -> Offer:
    fields: dict[str, Any] = {
        "decision": Offer.Decision.OFFER,
        "due_from": dt.date(year, 1, 1),
        "due_to": dt.date(year, 12, 31),
        "reason": "Fylder 80",
        "rule_id": "age80",
        **values,
    }
    return Offer.objects.create(citizen=citizen(cpr), year=year, group=group, **fields)


def told(target: Offer, kind: str = "offer_with_time", status: str = "delivered") -> Offer:
    """``target`` with a letter of ``kind`` about its time, ``status`` (delivered: the citizen has it)."""
    letter = Letter.objects.create(
        kind=kind, channel="digital_post", title="Tilbud", citizen=target.citizen, content={}, status=status
    )
    letter.offers.add(target)
    return target


def visit(
    target: Offer, day: dt.date, *, consultant: User | None, status: str = "planned", hour: int = 10
) -> Visit:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    made = Visit.objects.create(
        start=start, end=start + dt.timedelta(hours=1), consultant=consultant, status=status
    )
    made.offers.add(target)
    return made


def assessment(cpr: str, *, consultant: User | None, deadline: dt.date) -> Assessment:
    return Assessment.objects.create(
        citizen=citizen(cpr),
        year=2026,
        group="risk",
        what="Mistet ægtefælle",
        known_on=deadline - dt.timedelta(days=14),
        deadline=deadline,
        due_to=dt.date(2026, 12, 31),
        origin=Assessment.Origin.RUN,
        consultant=consultant,
    )


def of(user: User, kind: str, at: At = AT) -> list[Task]:
    return worklist.tasks(worklist.scope_for(user), at, limit=50).get(kind, [])


def names(found: list[Task]) -> set[str]:
    return {task.citizen_name for task in found}


def day(days: int) -> dt.date:
    return AT.today + dt.timedelta(days=days)


# --- each kind -------------------------------------------------------------------------------------------


def test_an_assessment_is_its_consultants_and_leaves_when_decided(people) -> None:  # type: ignore[no-untyped-def]
    karen, kim = people["karen"], people["kim"]
    case = assessment(ASE, consultant=karen, deadline=day(-3))
    (task,) = of(karen, Kind.ASSESSMENT)
    assert (task.citizen_name, task.what, task.due) == ("Åse Testesen", "Vurdér behovet for besøg", day(-3))
    assert task.overdue and task.when == "Overskredet 3 dage"
    assert task.owner_id == karen.pk
    assert of(kim, Kind.ASSESSMENT) == [], "a consultant sees a colleague's assessment"
    assert names(of(people["leder"], Kind.ASSESSMENT)) == {"Åse Testesen"}
    record_no_need(case, reason="Klarer sig fint", today=AT.today, user=karen)
    assert of(karen, Kind.ASSESSMENT) == []


def test_an_assessment_without_a_consultant_is_the_teams(people) -> None:  # type: ignore[no-untyped-def]
    assessment(CLARA, consultant=None, deadline=day(5))
    for who in ("karen", "kim"):
        (task,) = of(people[who], Kind.ASSESSMENT)
        assert task.owner_id is None and not task.overdue


def test_a_request_is_the_teams_until_decided(people) -> None:  # type: ignore[no-untyped-def]
    asked = Request.objects.create(
        citizen=citizen(DAN), received=day(-10), came_from="citizen", channel="phone", deadline=None
    )
    (task,) = of(people["kim"], Kind.REQUEST)
    assert (task.what, task.due, task.days_over) == ("Afgør henvendelsen", day(-3), 3), "received + a week"
    assert task.url == reverse("request-detail", args=[asked.pk])
    decide_request(
        asked, granted=False, reason="Modtager hjemmepleje", today=AT.today, standard=current_standard()
    )
    assert of(people["kim"], Kind.REQUEST) == []


def test_a_follow_up_appears_two_weeks_ahead_and_leaves_when_done(people) -> None:  # type: ignore[no-untyped-def]
    soon = FollowUp.objects.create(offer=offer(ASE), due=day(14))
    FollowUp.objects.create(offer=offer(BENT), due=day(15))
    assert names(of(people["karen"], Kind.FOLLOW_UP)) == {"Åse Testesen"}, "only those due within 14 days"
    soon.status, soon.done_on = FollowUp.Status.DONE, AT.today
    soon.save()
    assert of(people["karen"], Kind.FOLLOW_UP) == []


def test_an_unanswered_opt_out_offer_is_confirmed_by_phone_before_the_visit(people) -> None:  # type: ignore[no-untyped-def]
    karen, kim = people["karen"], people["kim"]
    near = told(offer(ASE, response=Offer.Response.OPT_OUT, offered_on=day(-20)))
    visit(near, day(3), consultant=karen)
    far = told(offer(BENT, response=Offer.Response.OPT_OUT, offered_on=day(-20)))
    visit(far, day(8), consultant=karen)
    unsent = told(offer(CLARA, response=Offer.Response.OPT_OUT), status="queued")
    visit(unsent, day(2), consultant=karen)
    # A granted request's offer counts as offered at once, but its letter with the time has not gone yet.
    granted = offer(DAN, response=Offer.Response.OPT_OUT, offered_on=day(-1), origin=Offer.Origin.REQUEST)
    visit(granted, day(2), consultant=karen, hour=13)
    (task,) = of(karen, Kind.CONFIRM)
    assert task.what == "Ring til borgeren: besøget er om 3 dage, og hun har ikke svaret"
    assert (task.citizen_name, task.due) == ("Åse Testesen", day(3))
    assert of(kim, Kind.CONFIRM) == [], "the visit is Karen's"
    register_answer(
        near, "yes", channel="phone", received=AT.today, today=AT.today, standard=current_standard()
    )
    assert of(karen, Kind.CONFIRM) == []


def test_a_closed_door_waits_for_the_next_step(people) -> None:  # type: ignore[no-untyped-def]
    karen = people["karen"]
    door = offer(CLARA)
    visit(door, day(-9), consultant=karen, status=Visit.Status.CLOSED_DOOR)
    (task,) = of(karen, Kind.CLOSED_DOOR)
    assert (task.what, task.due, task.when) == (
        "Find næste skridt efter forgæves besøg",
        day(-2),
        "Overskredet 2 dage",
    )
    assert of(people["kim"], Kind.CLOSED_DOOR) == []
    visit(door, day(5), consultant=karen)
    assert of(karen, Kind.CLOSED_DOOR) == [], "a new visit is the next step"


def test_a_letter_after_a_closed_door_is_the_next_step_but_the_note_at_the_door_is_not(people) -> None:  # type: ignore[no-untyped-def]
    karen = people["karen"]
    door = offer(CLARA)
    visit(door, day(-2), consultant=karen, status=Visit.Status.CLOSED_DOOR)

    def letter(kind: str) -> None:
        made = Letter.objects.create(
            kind=kind, channel="digital_post", title="Brev", citizen=door.citizen, content={}
        )
        made.offers.add(door)

    letter("closed_door")
    assert names(of(karen, Kind.CLOSED_DOOR)) == {"Clara Prøvesen"}
    letter("follow_up")
    assert of(karen, Kind.CLOSED_DOOR) == []


def test_a_cancelled_visit_needs_a_new_time_until_one_is_planned(people) -> None:  # type: ignore[no-untyped-def]
    kim = people["kim"]
    moved = offer(DAN)
    visit(moved, day(-1), consultant=kim, status=Visit.Status.CANCELLED)
    (task,) = of(kim, Kind.NEW_TIME)
    assert task.what == "Find et nyt tidspunkt" and task.url == reverse("offer-slots", args=[moved.pk])
    declined = offer(ASE, reply=Offer.Reply.NO)
    visit(declined, day(-1), consultant=kim, status=Visit.Status.CANCELLED)
    assert names(of(kim, Kind.NEW_TIME)) == {"Dan Eksempelsen"}, "a citizen who said no needs no new time"
    visit(moved, day(6), consultant=kim)
    assert of(kim, Kind.NEW_TIME) == []


def test_only_the_latest_visit_of_an_offer_counts(people) -> None:  # type: ignore[no-untyped-def]
    karen = people["karen"]
    door = offer(CLARA)
    visit(door, day(-9), consultant=karen, status=Visit.Status.CLOSED_DOOR)
    visit(door, day(-2), consultant=karen, status=Visit.Status.CANCELLED)
    assert of(karen, Kind.CLOSED_DOOR) == [], "the closed door was followed by another visit"
    assert names(of(karen, Kind.NEW_TIME)) == {"Clara Prøvesen"}


def test_a_visit_whose_consultant_is_away_needs_someone_else(people) -> None:  # type: ignore[no-untyped-def]
    karen = people["karen"]
    planning = Consultant.objects.create(user=karen, base_lat=57.46, base_lon=9.98)
    planned = visit(offer(ASE), day(4), consultant=karen)
    assert of(people["kim"], Kind.NEW_TIME) == []
    away = Absence.objects.create(
        consultant=planning, kind="illness", start=planned.start - dt.timedelta(days=1), end=planned.end
    )
    (task,) = of(people["kim"], Kind.NEW_TIME)
    assert task.owner_id is None and task.url == reverse("visit-detail", args=[planned.pk])
    away.delete()
    assert of(people["kim"], Kind.NEW_TIME) == []


def test_dementia_citizens_are_one_task_each_for_the_coordinator(people) -> None:  # type: ignore[no-untyped-def]
    EligibilityRun.objects.create(year=2026, on=dt.date(2026, 1, 1), kind="yearly", standard="ishoej")
    handed = {"decision": Offer.Decision.DEMENTIA_COORDINATOR, "reason": "Demens"}
    first = offer(ASE, group="age80", **handed)
    offer(ASE, group="age75", **handed)
    offer(BENT, group="age80", year=2025, **handed)
    (task,) = of(people["demens"], Kind.DEMENTIA)
    assert (task.citizen_name, task.what) == (
        "Åse Testesen",
        "Overtag borgeren (demenskoordinator) (2 tilbud)",
    )
    assert worklist.by_kind(worklist.tally(ALL, AT))[Kind.DEMENTIA].total == 1, "counted once a citizen"
    assert of(people["karen"], Kind.DEMENTIA) == [], "a consultant does not take over dementia cases"
    Offer.objects.filter(citizen=first.citizen).update(coordinator=people["demens"], taken_on=AT.today)
    assert of(people["demens"], Kind.DEMENTIA) == []


def test_a_letter_with_a_time_waits_for_planning(people) -> None:  # type: ignore[no-untyped-def]
    waiting = offer(CLARA, letter=Offer.Letter.WITH_TIME, due_from=day(20), due_to=day(200))
    offer(DAN, letter=Offer.Letter.WITH_TIME, due_from=day(40), due_to=day(200))
    (task,) = of(people["leder"], Kind.PLAN)
    assert (task.citizen_name, task.what) == ("Clara Prøvesen", "Planlæg et tidspunkt, så brevet kan sendes")
    assert of(people["karen"], Kind.PLAN) == [], "the planning is the leader's"
    visit(waiting, day(25), consultant=people["karen"])
    assert of(people["leder"], Kind.PLAN) == []


# --- scopes, counts and queries --------------------------------------------------------------------------


def test_the_leader_counts_by_kind_owner_and_overdue(people) -> None:  # type: ignore[no-untyped-def]
    karen, kim = people["karen"], people["kim"]
    assessment(ASE, consultant=karen, deadline=day(-1))
    assessment(BENT, consultant=karen, deadline=day(2))
    assessment(CLARA, consultant=kim, deadline=day(-5))
    Request.objects.create(citizen=citizen(DAN), received=day(-1), came_from="citizen", channel="phone")
    counts = worklist.tally(ALL, AT)
    owners = worklist.by_owner(counts)
    assert (owners[karen.pk].total, owners[karen.pk].overdue) == (2, 1)
    assert (owners[kim.pk].total, owners[kim.pk].overdue) == (1, 1)
    assert (owners[None].total, owners[None].overdue) == (1, 0)
    kinds = worklist.by_kind(counts)
    assert list(kinds) == [Kind.ASSESSMENT, Kind.REQUEST]
    assert (kinds[Kind.ASSESSMENT].total, kinds[Kind.ASSESSMENT].overdue) == (3, 2)
    only_kim = worklist.tasks(Scope(kinds=frozenset(Kind.ALL), user_id=kim.pk, team=False), AT, limit=10)
    assert {k: names(v) for k, v in only_kim.items()} == {Kind.ASSESSMENT: {"Clara Prøvesen"}}


def test_the_queries_do_not_grow_with_the_tasks(people, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    karen = people["karen"]

    def load() -> int:
        with django_assert_max_num_queries(40) as captured:
            worklist.tasks(worklist.scope_for(karen), AT, limit=50)
            worklist.tally(worklist.scope_for(karen), AT)
        return len(captured)

    assessment(ASE, consultant=karen, deadline=day(1))
    visit(told(offer(ASE, response=Offer.Response.OPT_OUT, offered_on=day(-9))), day(2), consultant=karen)
    few = load()
    for hour, cpr in enumerate((BENT, CLARA, DAN), start=11):
        assessment(cpr, consultant=karen, deadline=day(1))
        opted_out = told(offer(cpr, response=Offer.Response.OPT_OUT, offered_on=day(-9)))
        visit(opted_out, day(2), consultant=karen, hour=hour)
        FollowUp.objects.create(offer=offer(cpr, group="age75"), due=day(1))
    assert load() == few, "a query a task"


# --- the pages ---------------------------------------------------------------------------------------------


def log_in(client: Any, username: str) -> Any:
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_page_shows_a_consultant_her_tasks_in_plain_danish(client, people) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    assessment(ASE, consultant=people["karen"], deadline=today - dt.timedelta(days=3))
    assessment(BENT, consultant=people["kim"], deadline=today)
    page = log_in(client, "karen").get(reverse("worklist"))
    text = visible_text(page.content.decode())
    assert "Mine opgaver" in text and "Åse Testesen" in text and "Overskredet 3 dage" in text
    assert (today - dt.timedelta(days=3)).strftime("%d.%m.%Y") in text
    assert "Bent Testesen" not in text, "a colleague's assessment"
    assert not problems_in(text, group_ids=shipped_group_ids())


def test_empty_states(client, people) -> None:  # type: ignore[no-untyped-def]
    assert "Du har ingen opgaver lige nu." in visible_text(
        log_in(client, "karen").get(reverse("worklist")).content.decode()
    )
    assert "Du har ingen opgaver lige nu." in visible_text(client.get(reverse("home")).content.decode())
    leader = log_in(client, "leder")
    assert "Teamet har ingen opgaver lige nu." in visible_text(
        leader.get(reverse("worklist")).content.decode()
    )
    filtered = leader.get(reverse("worklist"), {"kind": Kind.PLAN})
    assert "Ingen opgaver passer på filtrene." in visible_text(filtered.content.decode())


def test_the_leader_filters_by_consultant_and_kind(client, people) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    assessment(ASE, consultant=people["karen"], deadline=today)
    assessment(BENT, consultant=people["kim"], deadline=today)
    Request.objects.create(citizen=citizen(DAN), received=today, came_from="citizen", channel="phone")
    leader = log_in(client, "leder")
    every = visible_text(leader.get(reverse("worklist")).content.decode())
    assert {"Åse Testesen", "Bent Testesen", "Dan Eksempelsen", "Karen Konsulent"} <= set(every.split("\n"))
    karens = leader.get(reverse("worklist"), {"consultant": people["karen"].pk}).content.decode()
    assert "Åse Testesen" in karens and "Bent Testesen" not in karens and "Dan Eksempelsen" not in karens
    requests = leader.get(reverse("worklist"), {"kind": Kind.REQUEST}).content.decode()
    assert "Dan Eksempelsen" in requests and "Åse Testesen" not in requests
    team = leader.get(reverse("worklist"), {"consultant": "team"}).content.decode()
    assert "Dan Eksempelsen" in team and "Åse Testesen" not in team
    bad = leader.get(reverse("worklist"), {"consultant": "999999", "kind": "<script>"})
    assert bad.status_code == 200 and "Vælg en fra listen" in bad.content.decode()


def test_the_front_page_by_role(client, people) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    assessment(ASE, consultant=people["karen"], deadline=today - dt.timedelta(days=1))
    assessment(BENT, consultant=people["kim"], deadline=today + dt.timedelta(days=1))
    own = visible_text(log_in(client, "karen").get(reverse("home")).content.decode())
    assert "Vurderinger af behov: 1 (1 overskredet)" in own and "Åse Testesen" in own
    assert "Bent Testesen" not in own and "Borgere i seneste udtræk" not in own
    leader = visible_text(log_in(client, "leder").get(reverse("home")).content.decode())
    assert "Teamets opgaver" in leader and "2 opgaver i alt, 1 med overskredet frist." in leader
    assert "Karen Konsulent\n1\n1" in leader and "kim\n1\n0" in leader, "per consultant: total, overdue"
    admin = visible_text(log_in(client, "admin").get(reverse("home")).content.decode())
    assert "Borgere i seneste udtræk" in admin and "Teamets opgaver" not in admin


def test_the_menu_starts_with_the_worklist(client, people) -> None:  # type: ignore[no-untyped-def]
    page = log_in(client, "kim").get(reverse("citizen-list")).content.decode()
    menu = page[page.index('aria-label="Hovedmenu"') :]
    assert menu.index(reverse("worklist")) < menu.index('href="/"'), "Mine opgaver comes first"
