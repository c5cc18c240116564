"""An outcome is recorded once, by the visit's own consultant (or a leader who says why), and a new time
that collides with the consultant's other visits is refused by name: problems 2, 4 and 5 of the
protection issue, on both databases; the simultaneous posts on PostgreSQL, where two connections really
run at once."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fhb.accounts.models import User
from fhb.letters.models import Letter
from fhb.outcomes import actions
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.letters.world import ALONE70, WIFE80, offer, world
from tests.planning.test_booking_race import at_once

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at the same moment: PostgreSQL's row locks"
)


def local(hours: float) -> dt.datetime:
    """A moment ``hours`` from now (negative: before)."""
    return timezone.now() + dt.timedelta(hours=hours)


def plan_for(user: User) -> tuple[Visit, Visit]:
    """The consultant's visit that began an hour ago, and another of hers tomorrow at this time."""
    world()
    started = Visit.objects.create(start=local(-1), end=local(0), consultant=user)
    started.offers.add(offer(ALONE70["cpr"], "alone70"))
    tomorrow = Visit.objects.create(start=local(24), end=local(25), consultant=user)
    tomorrow.offers.add(offer(WIFE80["cpr"], "age80"))
    return started, tomorrow


def form(kind: str, **more: str) -> dict[str, str]:
    """What the visit page posts for each outcome."""
    standard = current_standard()
    steps = list(standard.closed_door.steps) if standard.closed_door else []
    data = {
        "held": {"minutes": "55"},
        "closed_door": {
            "steps": steps,
            "note_left_at": timezone.localtime(local(-0.5)).strftime("%Y-%m-%dT%H:%M"),
        },
        "declined": {"note": "Vil ikke"},
        "cancelled": {
            "by": "citizen",
            "told": "letter",
            "reason": "Syg",
            "new_start": timezone.localtime(local(48)).strftime("%Y-%m-%dT%H:%M"),
        },
    }[kind]
    return {"outcome": kind, **data, **more}  # type: ignore[dict-item]


KINDS = ["held", "closed_door", "declined", "cancelled"]
STATUS = {"held": "held", "closed_door": "closed_door", "declined": "declined", "cancelled": "cancelled"}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_second_post_of_an_outcome_is_refused_and_makes_nothing(kind: str, make_user: Any) -> None:
    karen = make_user("consultant", "karen")
    visit, _tomorrow = plan_for(karen)
    client = Client()
    client.force_login(karen)
    url = reverse("visit-outcome", args=[visit.pk])
    client.post(url, form(kind))
    visits, letters = Visit.objects.count(), Letter.objects.count()
    again = client.post(url, form(kind), follow=True).content.decode()
    label = Visit.Status(STATUS[kind]).label.lower()
    assert f"Besøget er allerede registreret som {label}" in again
    assert (Visit.objects.count(), Letter.objects.count()) == (visits, letters), (
        "the second post made nothing"
    )
    assert visit.history.filter(status=STATUS[kind], outcome_at__isnull=False).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_two_simultaneous_posts_record_one_outcome(
    kind: str, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problem 4: eight simultaneous "cancelled, new time" posts made eight visits and eight letters."""
    karen = make_user("consultant", "karen")
    visit, _tomorrow = plan_for(karen)
    save = actions.save_with_reason

    def slowly(*args: Any, **kwargs: Any) -> None:
        time.sleep(0.3)  # inside the transaction: the other post surely arrives meanwhile
        save(*args, **kwargs)

    monkeypatch.setattr(actions, "save_with_reason", slowly)
    url = reverse("visit-outcome", args=[visit.pk])

    def post() -> Callable[[], str]:
        def send() -> str:
            client = Client()
            client.force_login(karen)
            return str(client.post(url, form(kind), follow=True).content.decode())

        return send

    before = (Visit.objects.count(), Letter.objects.count())
    pages = at_once(*(post() for _ in range(4)))
    assert all(isinstance(p, str) for p in pages), pages
    refused = [p for p in pages if "allerede registreret" in p]
    assert len(refused) == 3, "of four posts at once, one records the outcome and three are told so"
    assert visit.history.filter(status=STATUS[kind], outcome_at__isnull=False).count() == 1
    new_visits = Visit.objects.count() - before[0]
    new_letters = Letter.objects.count() - before[1]
    assert new_visits <= 1 and new_letters <= 1, (
        f"{new_visits} visits and {new_letters} letters from one outcome"
    )


@pytest.mark.django_db
def test_a_new_time_on_top_of_another_visit_is_refused_naming_it(make_user: Any) -> None:
    """Problem 5: a 500 on PostgreSQL (the constraint) and a silent double booking on SQLite."""
    karen = make_user("consultant", "karen")
    karen.first_name = "Karen"
    karen.save()
    visit, tomorrow = plan_for(karen)
    clash = timezone.localtime(tomorrow.start + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    client = Client()
    client.force_login(karen)
    data = form("cancelled", new_start=clash)
    page = client.post(reverse("visit-outcome", args=[visit.pk]), data, follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    at = timezone.localtime(tomorrow.start)
    assert "Det nye tidspunkt kan ikke bruges" in text and f"kl. {at.hour}.{at.minute:02d}" in text, (
        "the message names the visit it collides with"
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED and Visit.objects.count() == 2, "nothing changed"


@pytest.mark.django_db
def test_a_colleague_cannot_record_an_outcome_and_a_leader_must_say_why(make_user: Any) -> None:
    """Problem 2: any staff member could record any visit's outcome."""
    karen = make_user("consultant", "karen")
    visit, _tomorrow = plan_for(karen)
    kim = make_user("consultant", "kim")
    with pytest.raises(actions.OutcomeError, match="egen konsulent eller en leder"):
        actions.record_held(visit, minutes=50, standard=current_standard(), user=kim)
    leader = make_user("leader", "lone")
    with pytest.raises(actions.OutcomeError, match="skriv, hvorfor"):
        actions.record_held(visit, minutes=50, standard=current_standard(), user=leader)
    actions.record_held(
        visit,
        minutes=50,
        standard=current_standard(),
        user=leader,
        on_behalf="Karen glemte at registrere det",
    )
    assert visit.status == Visit.Status.HELD and "Karen glemte" in visit.status_reason
