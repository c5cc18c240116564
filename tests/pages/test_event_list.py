"""The events page: "Kommende" is every event from today on, whatever year the page shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.events.world import local_start, seniormesse

pytestmark = pytest.mark.django_db


def test_upcoming_lists_next_years_fair_and_held_lists_the_years_past(client: Any, make_user: Any) -> None:
    today = timezone.localdate()
    seniormesse(local_start(date(today.year + 1, 4, 20)), name="Messe til foråret")
    seniormesse(local_start(today - timedelta(days=400)), name="Messe for længe siden")
    make_user("consultant")
    assert client.login(username="consultant", password=PASSWORD)
    html = client.get(reverse("event-list")).content.decode()
    upcoming, held = html.split("Kommende", 1)[1].split("Afholdte", 1)
    assert "Messe til foråret" in upcoming, "next April's fair is upcoming on this year's page"
    assert "Messe til foråret" not in held and "Messe for længe siden" not in html
    year_before = (today - timedelta(days=400)).year
    html = client.get(reverse("event-list"), {"year": year_before}).content.decode()
    upcoming, held = html.split("Kommende", 1)[1].split("Afholdte", 1)
    assert "Messe til foråret" in upcoming, "upcoming does not depend on the year shown"
    assert "Messe for længe siden" in held, "held: the events of the year shown"
