"""Sign-ups within the capacity, attendance, and what anonymisation leaves."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError

from fhb.citizens.models import Citizen
from fhb.events import actions as event_actions
from fhb.events import services
from fhb.events.models import Event, Registration
from fhb.letters.invitations import invited_citizen_ids
from fhb.letters.models import Letter
from fhb.offers.models import Channel
from fhb.privacy.retention import anonymise
from fhb.standards.current import current_standard
from fhb.stats.event_figures import seniormesse_figures
from tests.events.world import TODAY, citizen, dorte, invited_world, seniormesse
from tests.letters.world import ALONE70, HUSBAND85, at

pytestmark = pytest.mark.django_db


def sign_up(event: Event, who: Citizen, **values: Any) -> Registration:
    values.setdefault("standard", current_standard())
    return event_actions.register(event, who, registered_on=TODAY, channel=Channel.PHONE, **values)


def test_sign_up_once_per_event() -> None:
    event = invited_world()
    sign_up(event, dorte())
    with pytest.raises(services.RegistrationError, match="allerede tilmeldt"):
        sign_up(event, dorte())
    with pytest.raises(IntegrityError):
        Registration.objects.create(event=event, citizen=dorte(), registered_on=TODAY, channel="phone")


def test_capacity_refuses_unless_over_capacity_is_ticked() -> None:
    event = invited_world(capacity=1)
    sign_up(event, dorte())
    assert services.free_places(event) == 0
    aksel = Citizen.objects.get(cpr=ALONE70["cpr"])
    with pytest.raises(services.RegistrationError, match="ikke flere ledige pladser"):
        sign_up(event, aksel)
    sign_up(event, aksel, over_capacity=True)
    assert event.registrations.count() == 2 and services.free_places(event) == 0


def test_anyone_65_or_over_may_sign_up_invited_or_not_but_not_younger() -> None:
    event = invited_world()
    carl = Citizen.objects.get(cpr=HUSBAND85["cpr"])
    sign_up(event, carl)
    assert carl.pk not in invited_citizen_ids(event)
    young = citizen("0105621234", "Ung Borger", date(1962, 5, 1))  # 64 on 20 April 2027
    with pytest.raises(services.RegistrationError, match="under 65 år"):
        sign_up(event, young)
    young.birth_date = date(1962, 4, 20)  # 65 on the day
    young.save()
    sign_up(event, young)


def test_the_activitys_min_age_years_decides_who_may_sign_up() -> None:
    event = invited_world()
    standard = current_standard()
    (fair,) = standard.activities
    assert fair.id == event.activity and fair.min_age_years is None, "Hjørring's fair states no age: 65"
    seventy = standard.model_copy(update={"activities": [fair.model_copy(update={"min_age_years": 70})]})
    young = citizen("0105571234", "Yngre Borger", date(1957, 5, 1))  # 69 on 20 April 2027
    assert services.may_sign_up(young, event, standard) == ""
    with pytest.raises(services.RegistrationError, match="under 70 år"):
        sign_up(event, young, standard=seventy)
    young.birth_date = date(1957, 4, 20)  # 70 on the day
    young.save()
    sign_up(event, young, standard=seventy)


def test_attendance_is_refused_before_the_events_day_and_recorded_from_it() -> None:
    event = invited_world()
    came = sign_up(event, dorte())
    stayed_home = sign_up(event, Citizen.objects.get(cpr=ALONE70["cpr"]))
    with pytest.raises(services.RegistrationError, match="arrangementets dag"):
        event_actions.record_attendance(event, [came.pk], today=date(2027, 4, 19))
    assert event_actions.record_attendance(event, [came.pk], today=date(2027, 4, 20)) == 1
    came.refresh_from_db()
    stayed_home.refresh_from_db()
    assert came.attended is True and stayed_home.attended is False


def test_attendance_for_another_events_sign_up_is_refused() -> None:
    event = invited_world()
    other = seniormesse(at(5, 10, 10))
    elsewhere = sign_up(other, dorte())
    with pytest.raises(services.RegistrationError):
        event_actions.record_attendance(event, [elsewhere.pk], today=date(2027, 4, 20))


def test_a_sign_up_can_be_cancelled_until_the_citizen_came() -> None:
    event = invited_world()
    registration = sign_up(event, dorte())
    event_actions.record_attendance(event, [registration.pk], today=date(2027, 4, 20))
    registration.refresh_from_db()
    with pytest.raises(services.RegistrationError, match="mødt"):
        event_actions.cancel(registration)
    event_actions.record_attendance(event, [], today=date(2027, 4, 20))
    registration.refresh_from_db()
    event_actions.cancel(registration)
    assert not event.registrations.exists()


def test_anonymising_a_citizen_keeps_the_events_figures() -> None:
    event = invited_world()
    Letter.objects.update(status=Letter.Status.DELIVERED)  # years later, when retention comes, it was sent
    registration = sign_up(event, dorte(), note="Kommer med sin søster")
    event_actions.record_attendance(event, [registration.pk], today=date(2027, 4, 20))
    before = seniormesse_figures(2027)
    anonymise(Citizen.objects.filter(pk=dorte().pk), on=date(2035, 1, 1))
    assert Letter.objects.get(kind="invitation").content == {}, "the letter's content is erased"
    assert seniormesse_figures(2027) == before
    assert before[0]["invited"] == 1 and before[0]["registered"] == 1 and before[0]["attended"] == 1
    registration.refresh_from_db()  # retention emptied the sign-up's note and deleted its history
    assert registration.note == "" and not Registration.history.filter(citizen_id=registration.citizen_id)
    assert seniormesse_figures(2027) == before
