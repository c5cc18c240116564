"""The demo of a municipality whose offer is a collective arrangement: Køge, its figures and towns from the
municipality.toml beside its test standard (what ``make demo STANDARD=tests/data/standards/koege/koege.toml``
builds). The demo holds the arrangement's dates in the largest towns of the invited, the invitations sent,
sign-ups and a few who ask for the individual visit instead; the statistics and the forecast count them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fhb.core.forecast import forecast, load_mortality
from fhb.demo.events import MEETING_CAPACITY, MEETING_TOWNS
from fhb.demo.setup import build_demo
from fhb.events.models import Event, Registration
from fhb.forecast.rates import forecast_inputs
from fhb.letters.models import Letter
from fhb.offers.models import Offer
from fhb.offers.years import default_plan_year
from fhb.standards.current import standard_named
from fhb.stats.dashboard import dashboard
from fhb.stats.figures import Filters
from tests.standard_files import standard_file_in_force

pytestmark = pytest.mark.django_db

PATH = Path(__file__).parents[1] / "data" / "standards" / "koege" / "koege.toml"


@pytest.fixture(autouse=True)
def koege_in_force(settings: Any) -> Iterator[None]:
    yield from standard_file_in_force(settings, PATH)


def test_the_koege_demo_holds_the_arrangement_its_sign_ups_and_its_figures(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    standard = standard_named(str(PATH))
    today = timezone.localdate()
    year = default_plan_year(today)
    build_demo(standard, name=str(PATH), year=year, seed=1, size=0.2, data_dir=data_dir, today=today)
    out = capsys.readouterr().out
    assert "Fællesarrangement om et godt seniorliv:" in out and "ønsker et individuelt besøg i stedet" in out
    assert "svar yes registreret" not in out, "the demo's answers are one line, not one each"

    dates = list(Event.objects.filter(activity="faellesarrangement").order_by("start"))
    assert 1 < len(dates) <= MEETING_TOWNS
    assert len({e.place for e in dates}) == len(dates), "one date in each town"
    assert all(e.capacity == MEETING_CAPACITY and e.start.date() > today for e in dates)

    invitations = Letter.objects.filter(kind="invitation")
    invited = Offer.objects.filter(year=year, group__in=["alone70", "age75"], decision=Offer.Decision.OFFER)
    assert invitations.count() == invited.filter(letters__isnull=False).distinct().count() > 0
    content = invitations.first().content  # type: ignore[union-attr]
    assert 1 + len(content["other_events"]) == len(dates) and content["arrangement"] is True
    assert Registration.objects.filter(event__in=dates).exists()
    assert invited.filter(reply=Offer.Reply.YES).exists(), "some ask for the individual visit instead"

    table = dashboard(Filters(year=year), standard, today).table("faellesarrangementer")
    assert [row[0].split(":")[0] for row in table.rows] == ["Fællesarrangement", "Fællesarrangement"]
    signed_up = sum(row[4] for row in table.rows)  # type: ignore[misc]
    assert signed_up == Registration.objects.filter(event__in=dates).values("citizen").distinct().count()

    inputs = forecast_inputs(standard, today)
    result = forecast(
        standard, inputs.population, [year], on=inputs.on, mortality=load_mortality(), rates=inputs.rates
    )
    first = {row.group: row for row in result.years[0].groups}
    assert first["age75"].letters_invitation > 0 and first["age75"].letters_with_time == 0
    assert first["age80"].letters_with_time > 0
