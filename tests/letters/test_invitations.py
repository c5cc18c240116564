"""Who was invited to an event: the recipients of the invitation letters that name it."""

from __future__ import annotations

import pytest

from fhb.letters import invitations
from fhb.letters.models import Letter
from fhb.standards.current import current_standard
from tests.events.world import dorte, invited_world, seniormesse
from tests.letters.world import at, world

pytestmark = pytest.mark.django_db


def test_the_invited_are_the_recipients_of_invitation_letters_naming_the_event() -> None:
    event = invited_world()
    assert Letter.objects.filter(kind="invitation").count() == 1
    assert invitations.invited_citizen_ids(event) == {dorte().pk}
    assert invitations.waiting_for_invitation(event, current_standard()) == 0


def test_before_the_letters_go_the_offers_wait_and_nobody_is_invited() -> None:
    world()
    event = seniormesse()
    assert invitations.invited_citizen_ids(event) == set()
    assert invitations.waiting_for_invitation(event, current_standard()) == 1


def test_a_second_event_of_the_year_is_not_credited_with_the_first_ones_invitations() -> None:
    first = invited_world()
    second = seniormesse(at(5, 10, 10), name="Seniormesse (efterår)")
    invited = invitations.invited_by_event([first, second])
    assert invited == {first.pk: {dorte().pk}, second.pk: set()}


def test_a_letter_counts_for_the_event_it_names() -> None:
    first = invited_world()
    second = seniormesse(at(5, 10, 10), name="Seniormesse (efterår)")
    letter = Letter.objects.get(kind="invitation")
    letter.content = {**letter.content, "event": {**letter.content["event"], "start": "2027-10-05T10:00:00"}}
    letter.save()
    assert invitations.invited_by_event([first, second]) == {first.pk: set(), second.pk: {dorte().pk}}


def test_cancelled_letters_invite_nobody() -> None:
    event = invited_world()
    Letter.objects.filter(kind="invitation").update(status=Letter.Status.CANCELLED)
    assert invitations.invited_citizen_ids(event) == set()


def test_a_moved_event_keeps_the_invitations_sent_for_it() -> None:
    event = invited_world()
    event.start, event.end = at(22, 4, 13), at(22, 4, 16)
    event.save()
    assert invitations.invited_citizen_ids(event) == {dorte().pk}, "by the offer's year and window"
