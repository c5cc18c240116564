"""The demo of a municipality fhb ships no figures for: Ærø, its figures and towns from the municipality.toml
beside its standard file (what ``make demo STANDARD=tests/data/standards/aeroe/aeroe.toml`` builds).

Ærø's offers carry no time (a letter inviting the citizen to get in touch, or a call at 75, 80 and 82+), so
the planner has nothing to place by itself: the demo books a few visits as agreed on the phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.cli import main
from fhb.core.forecast import forecast, load_mortality
from fhb.demo.setup import AGREED_VISITS, build_demo
from fhb.forecast.rates import forecast_inputs
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.offers.models import EligibilityRun, Offer
from fhb.offers.years import default_plan_year
from fhb.pages import worklist
from fhb.pages.worklist import At, Kind
from fhb.planning.models import Consultant
from fhb.standards.current import standard_named
from fhb.visits.models import Visit
from tests.standard_files import standard_file_in_force

pytestmark = pytest.mark.django_db

PATH = Path(__file__).parents[1] / "data" / "standards" / "aeroe" / "aeroe.toml"


@pytest.fixture(autouse=True)
def aeroe_in_force(settings: Any) -> Iterator[None]:
    yield from standard_file_in_force(settings, PATH)


def test_the_aeroe_demo_has_citizens_offers_visits_letters_calls_and_a_forecast(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    standard = standard_named(str(PATH))
    today = timezone.localdate()
    year = default_plan_year(today)
    build_demo(standard, name=str(PATH), year=year, seed=1, size=0.2, data_dir=data_dir, today=today)
    out = capsys.readouterr().out
    assert "syntetiske borgere i" in out and f"Aftalte besøg: {AGREED_VISITS} besøg aftalt" in out

    citizens = Citizen.objects.all()
    assert citizens.count() > 300
    assert set(citizens.values_list("dwelling__postcode", flat=True)) == {"5960", "5970", "5985"}
    base = Consultant.objects.get(user__username="konsulent")
    assert base.base_name.endswith("Marstal"), "no town is named Ærø: the first town is the base"

    run = EligibilityRun.objects.get(year=year, kind="yearly")
    offers = Offer.objects.filter(year=year, decision=Offer.Decision.OFFER)
    letters_by_kind = dict.fromkeys(offers.values_list("letter", flat=True))
    assert set(letters_by_kind) >= {Offer.Letter.PHONE, Offer.Letter.WITHOUT_TIME}

    agreed = Visit.objects.filter(offers__year=year, fixed=True).distinct()
    assert agreed.count() == AGREED_VISITS
    assert Visit.objects.open().filter(consultant__username="konsulent").exists()

    dispatch = send_run_letters(run, today=today, standard=standard)
    assert dispatch.summary["queued"] > 0
    queued = Letter.objects.filter(status=Letter.Status.QUEUED)
    assert queued.filter(kind="offer_without_time").exists()
    assert not queued.filter(offers__letter=Offer.Letter.PHONE).exists(), "a call, not a letter"

    # The calls of the plan year, as the consultant sees them once the year has begun.
    day = max(today, dt.date(year, 1, 15))
    at = At(dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC), day)
    konsulent = User.objects.get(username="konsulent")
    kinds = worklist.by_kind(worklist.tally(worklist.scope_for(konsulent), at))
    assert kinds.get(Kind.CALL) and kinds[Kind.CALL].total, kinds
    assert worklist.kind_label(Kind.CALL) == "Ring til borgeren"

    inputs = forecast_inputs(standard, today)
    result = forecast(
        standard,
        inputs.population,
        range(year, year + 2),
        on=inputs.on,
        mortality=load_mortality(),
        rates=inputs.rates,
    )
    assert [y.year for y in result.years] == [year, year + 1]
    assert result.years[0].consultants > 0


def test_demo_setup_refuses_another_municipalitys_file(capsys: pytest.CaptureFixture[str]) -> None:
    koege = PATH.parents[1] / "koege" / "municipality.toml"
    assert main(["demo-setup", "--standard", str(PATH), "--municipality", str(koege), "--size", "0.1"]) == 2
    err = capsys.readouterr().err
    assert f"fhb demo-setup: {koege}: code: 259 is not the standard's municipality.code (492)" in err
    assert not Citizen.objects.exists()
