"""The citizen page opens the offer the citizen may still be visited for, not an old, visited one, and its
button finds free times."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fhb.offers.models import Offer
from fhb.visits.models import Visit
from tests.letters.world import CPH
from tests.planning.world import CALLER, offer, visit, world

pytestmark = pytest.mark.django_db

OPEN_DETAILS = re.compile(r'<details class="work"\s+open>(.*?)</details>', re.S)


def test_the_current_open_offer_comes_first_and_opens_and_its_button_finds_times(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2027, 3, 1))
    karen, _lise = world()
    current = offer(CALLER)
    old = Offer.objects.get(pk=current.pk)
    old.pk = None
    old.year, old.due_from, old.due_to = 2026, date(2026, 1, 1), date(2026, 12, 31)
    old.save()
    held = visit(CALLER, timezone.datetime(2026, 5, 4, 10, tzinfo=CPH), karen, status=Visit.Status.HELD)
    held.offers.set([old])
    # The old offer sorts first by its start (the model's order) and by its pk in a plain query.
    client.force_login(karen.user)
    html = client.get(reverse("citizen-detail", args=[CALLER["cpr"]])).content.decode()
    opened = OPEN_DETAILS.findall(html)
    assert len(opened) == 1, "one offer is open on the page"
    assert reverse("offer-slots", args=[current.pk]) in opened[0], "the current offer opens, with its button"
    assert html.index(reverse("offer-answer", args=[current.pk])) < html.index(
        reverse("offer-answer", args=[old.pk])
    ), "the current offer comes before the old, visited one"
    assert reverse("offer-slots", args=[old.pk]) not in html, "no free times for an offer already visited"
    assert reverse("visit-detail", args=[held.pk]) in html
    slots = client.get(reverse("offer-slots", args=[current.pk])).content.decode()
    assert slots.count('class="slot"') >= 10, "the button finds free times"
