"""Synthetic history (fhb.stats.history): past plan years of offers, answers, visits and requests."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.demo.history import HistoryError, default_history_years, write_history
from fhb.demo.synth.generator import SynthOptions, write_municipality
from fhb.offers.actions import start_run
from fhb.offers.models import Answer, EligibilityRun, Offer, Request
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
YEARS = default_history_years(2026)  # 2021-2025
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def extract(tmp_path_factory: Any) -> Path:
    """A small synthetic Hjørring (about 1,100 persons), extract of 1 January 2026."""
    folder: Path = tmp_path_factory.mktemp("history-extract")
    write_municipality(SynthOptions(standard="hjoerring", seed=3, size=0.05, year=2026), folder)
    return folder


@pytest.fixture
def municipality(extract: Path, make_user: Any, settings: Any) -> list[int]:
    """The extract imported, this year's run, and three consultants; their user ids."""
    settings.FHB_STANDARD = "hjoerring"
    import_extract(
        ImportFile.from_path(extract / "citizens.csv"), ImportFile.from_path(extract / "events.csv")
    )
    start_run(2026, "yearly", on=dt.date(2026, 1, 1), standard=current_standard())
    users = [make_user("consultant", f"konsulent{i}") for i in (1, 2, 3)]
    for user in users:
        Consultant.objects.create(user=user, base_lat=57.46, base_lon=9.98)
    return [u.pk for u in users]


def history_offers() -> Any:
    return Offer.objects.filter(year__in=YEARS)


def test_every_year_gets_plausible_counts(municipality: list[int]) -> None:
    summary = write_history(YEARS, seed=1, today=TODAY, standard=current_standard())
    assert [y.year for y in summary.years] == YEARS
    for year in summary.years:
        assert year.offers > 100, year.line()
        assert year.offered >= 0.9 * year.offers, "almost every offer's letter went out"
        assert 0 < year.withdrawn <= 0.08 * year.offers
        assert sum(year.visits.values()) > 0.3 * year.offered
        assert year.requests >= 3 and year.granted >= 1
    offers = history_offers().filter(decision=Offer.Decision.OFFER, offered_on__isnull=False)
    opt_in = Counter(offers.filter(response=Offer.Response.OPT_IN).values_list("reply", flat=True))
    total = sum(opt_in.values())
    assert 0.3 < opt_in["yes"] / total < 0.6 and 0.1 < opt_in["no"] / total < 0.35
    yearly = offers.filter(origin=Offer.Origin.RUN, trigger="")
    early = yearly.filter(offered_on__month__lte=3).count()
    assert early > 0.7 * yearly.count(), "yearly groups' letters go out in January-March mostly"
    held = Visit.objects.filter(status=Visit.Status.HELD)
    assert held.count() > 0.8 * Visit.objects.count()
    assert all(10 <= (v.drive_minutes or 0) <= 35 for v in held), "held visits know their driving"
    assert not Offer.history.filter(year__in=YEARS).exists(), "a synthetic backfill writes no history rows"
    # The consultants of the areas made the visits; this year's run is still the latest.
    assert set(Visit.objects.values_list("consultant_id", flat=True)) == set(municipality)
    latest = EligibilityRun.objects.first()
    assert latest is not None and latest.year == 2026


def test_dates_lie_inside_the_windows_and_before_today(municipality: list[int]) -> None:
    write_history(YEARS, seed=1, today=TODAY, standard=current_standard())
    for offer in history_offers().exclude(offered_on=None):
        assert offer.due_from <= offer.offered_on <= offer.due_to, offer
        assert offer.offered_on < TODAY
        if offer.reply_date is not None:
            assert offer.offered_on < offer.reply_date < TODAY
    assert not history_offers().exclude(decision=Offer.Decision.OFFER).exclude(offered_on=None).exists()
    for visit in Visit.objects.prefetch_related("offers"):
        start, end = visit.start.astimezone(CPH), visit.end.astimezone(CPH)
        assert start.weekday() < 5 and start.date() < TODAY
        assert dt.time(9, 30) <= start.time() and end.time() <= dt.time(15, 0), visit
        for offer in visit.offers.all():
            assert offer.offered_on is not None and offer.offered_on < start.date() <= offer.due_to


def test_visits_only_for_accepted_offers(municipality: list[int]) -> None:
    write_history(YEARS, seed=1, today=TODAY, standard=current_standard())
    visited: set[int] = set()
    for visit in Visit.objects.prefetch_related("offers"):
        offers = list(visit.offers.all())
        assert 1 <= len(offers) <= 2
        for offer in offers:
            visited.add(offer.pk)
            assert offer.status == Offer.Status.ACTIVE and offer.decision == Offer.Decision.OFFER
            if visit.status == Visit.Status.DECLINED:
                assert offer.reply == Offer.Reply.NO, "declined at the door is a no"
            elif offer.response == Offer.Response.OPT_IN:
                assert offer.reply == Offer.Reply.YES
            else:
                assert offer.reply in (Offer.Reply.YES, Offer.Reply.NONE)
        if len(offers) == 2:
            first, second = offers
            assert first.couple_cpr == second.citizen.cpr and second.couple_cpr == first.citizen.cpr
    unanswered = history_offers().filter(response=Offer.Response.OPT_IN, reply__in=["", "no"])
    assert not unanswered.filter(pk__in=visited).exclude(visits__status=Visit.Status.DECLINED).exists()


def test_requests_have_deadlines_and_granted_ones_an_offer(municipality: list[int]) -> None:
    write_history(YEARS, seed=1, today=TODAY, standard=current_standard())
    requests = list(Request.objects.select_related("offer"))
    assert requests
    for request in requests:
        assert request.deadline == request.received + dt.timedelta(days=21), "Hjørring: 3 weeks"
        assert request.decided_on is not None and request.received < request.decided_on < TODAY
        if request.status == Request.Status.GRANTED:
            assert request.offer is not None and request.offer.origin == Offer.Origin.REQUEST
            assert request.offer.offered_on == request.decided_on
        else:
            assert request.offer is None
    on_time = sum(1 for r in requests if r.decided_on and r.deadline and r.decided_on <= r.deadline)
    assert on_time >= 0.75 * len(requests)


def snapshot() -> list[tuple[Any, ...]]:
    offers = sorted(
        history_offers().values_list(
            "citizen__cpr", "year", "group", "due_from", "offered_on", "reply", "status"
        )
    )
    visits = sorted(Visit.objects.values_list("offers__citizen__cpr", "start", "status", "held_minutes"))
    requests = sorted(Request.objects.values_list("citizen__cpr", "received", "decided_on", "status"))
    return [*offers, *visits, *requests]


def erase_history() -> None:
    Visit.objects.all().delete()
    Request.objects.all().delete()
    Answer.objects.filter(offer__year__in=YEARS).delete()
    history_offers().delete()
    Offer.objects.filter(origin=Offer.Origin.REQUEST).delete()
    EligibilityRun.objects.filter(year__in=YEARS).delete()


def test_the_same_seed_gives_the_same_history(municipality: list[int]) -> None:
    write_history(YEARS, seed=7, today=TODAY, standard=current_standard())
    first = snapshot()
    erase_history()
    write_history(YEARS, seed=7, today=TODAY, standard=current_standard())
    assert snapshot() == first
    erase_history()
    write_history(YEARS, seed=8, today=TODAY, standard=current_standard())
    assert snapshot() != first


def test_refuses_years_that_have_offers(municipality: list[int]) -> None:
    write_history(YEARS, seed=1, today=TODAY, standard=current_standard())
    count = Offer.objects.count()
    with pytest.raises(HistoryError, match="allerede tilbud"):
        write_history([2025], seed=2, today=TODAY, standard=current_standard())
    with pytest.raises(HistoryError, match="allerede tilbud"):
        write_history([2026], seed=2, today=TODAY, standard=current_standard())  # this year's run made offers
    with pytest.raises(HistoryError, match="til og med 2026"):
        write_history([2027], today=TODAY, standard=current_standard())
    assert Offer.objects.count() == count


def test_command_writes_and_then_refuses(municipality: list[int], capsys: Any) -> None:
    from fhb.cli import main as fhb_main
    from fhb.commands.synth_history import years_range

    assert years_range("2021-2023,2025") == [2021, 2022, 2023, 2025]
    assert fhb_main(["synth-history", "--years", "2021-2022", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "Syntetisk historik for 2 planår" in out and "2022:" in out
    assert fhb_main(["synth-history", "--years", "2022"]) == 2
    assert "allerede tilbud" in capsys.readouterr().err
