"""The leader's figures, checked against the stored facts they count.

The world (tests/letters/world.py) is Hjørring's plan year 2027: Aksel (living alone, 70), the couple
Birte (80) and Carl (85), Dorte (75) and Ella (80). Each test writes the facts the figures count (when an
offer was made, the answer, the visits with their minutes, the requests) and checks every number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fhb.citizens.models import Citizen
from fhb.events import actions as event_actions
from fhb.offers.models import Channel, Offer
from fhb.privacy.retention import anonymise
from fhb.standards.current import current_standard
from fhb.stats.dashboard import dashboard
from fhb.stats.figures import Filters
from tests.letters.world import ALONE70, PAPER80, WIFE80

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 11, 23)


def rows(board: Any, key: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in board.table(key).rows]


def test_groups_table_counts_the_stored_offers_answers_and_visits(year_2027: dict[str, Any]) -> None:
    board = dashboard(Filters(2027), current_standard(), TODAY)
    by_group = {row[0].split(":")[0]: row[1:] for row in rows(board, "maalgrupper")}
    # due, made, yes, no, no answer, held, closed door, declined, cancelled, planned
    assert by_group["Målgruppe 1"] == (1, 1, 1, 0, 0, 1, 0, 0, 0, 0)
    assert by_group["Målgruppe 2"] == (1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
    assert by_group["Målgruppe 3"] == (1, 1, 0, 0, 1, 1, 1, 0, 0, 0), "Ella's withdrawn offer is not due"
    assert by_group["Målgruppe 4"] == (1, 1, 0, 1, 0, 0, 0, 0, 0, 0)


def test_coverage_is_offered_over_due_for_each_quality_goal(year_2027: dict[str, Any]) -> None:
    board = dashboard(Filters(2027), current_standard(), TODAY)
    coverage = {row[0]: row[1:] for row in rows(board, "kvalitetsmaal")}
    assert coverage["Målgruppe 1"] == (1, 1, 100.0, "alle (100 %)")
    assert coverage["Målgruppe 5"] == (None, 0, None, "efter behov")
    age80 = Offer.objects.get(citizen__cpr=PAPER80["cpr"], group="age80")
    age80.status = Offer.Status.ACTIVE
    age80.save()
    board = dashboard(Filters(2027), current_standard(), TODAY)
    coverage = {row[0]: row[1:] for row in rows(board, "kvalitetsmaal")}
    assert coverage["Målgruppe 3"][:3] == (2, 1, 50.0), "an active offer not yet made lowers the share"
    chart = next(c for c in board.charts if c.kind == "coverage")
    assert chart.goal == 100.0 and dict(zip(chart.labels, chart.series[0].values, strict=True))[
        "Målgruppe 3"
    ] == pytest.approx(50.0)


def test_months_hours_and_requests(year_2027: dict[str, Any]) -> None:
    board = dashboard(Filters(2027), current_standard(), TODAY)
    months = rows(board, "maaneder")
    assert [m[1] for m in months[:3]] == [2, 2, 0] and sum(m[1] for m in months) == 4
    assert [m[2] for m in months[:4]] == [0, 0, 1, 1] and sum(m[2] for m in months) == 2
    assert rows(board, "timer") == [("Anna", 1, 1, 1.2, 0.6), ("Bo", 1, 0, 1.5, 0.5)]
    # received, on time, late, waiting, overdue, share on time (of decided + overdue)
    assert rows(board, "henvendelser") == [(3, 1, 1, 0, 1, 33.3)]


def test_filters_narrow_to_a_group_and_a_consultant(year_2027: dict[str, Any]) -> None:
    standard = current_standard()
    board = dashboard(Filters(2027, group="age80"), standard, TODAY)
    assert [row[0].split(":")[0] for row in rows(board, "maalgrupper")] == ["Målgruppe 3"]
    assert [row[0] for row in rows(board, "kvalitetsmaal")] == ["Målgruppe 3"]
    bo = dashboard(Filters(2027, consultant_id=year_2027["bo"].pk), standard, TODAY)
    (age80,) = rows(bo, "maalgrupper")
    assert age80[1:3] == (1, 1) and age80[6:8] == (1, 0), "Bo held Birte's second visit, not the closed door"
    assert rows(bo, "timer") == [("Bo", 1, 0, 1.5, 0.5)]
    assert bo.notes, "the page says which figures the consultant filter leaves municipality-wide"


def test_a_past_year_does_not_change_when_its_citizens_are_anonymised(year_2027: dict[str, Any]) -> None:
    standard = current_standard()
    before = dashboard(Filters(2027), standard, TODAY)
    Citizen.objects.filter(cpr__in=[ALONE70["cpr"], WIFE80["cpr"]]).update(in_extract=False)
    anonymised = anonymise(Citizen.objects.filter(cpr__in=[ALONE70["cpr"], WIFE80["cpr"]]), on=TODAY)
    assert anonymised == 2 and not Citizen.objects.filter(cpr=ALONE70["cpr"]).exists()
    after = dashboard(Filters(2027), standard, TODAY)
    assert after.tables == before.tables and after.key_figures == before.key_figures


def test_an_empty_year_has_tables_without_rows_and_zero_figures(year_2027: dict[str, Any]) -> None:
    board = dashboard(Filters(2031), current_standard(), TODAY)
    assert rows(board, "maalgrupper") == []
    assert rows(board, "henvendelser") == [(0, 0, 0, 0, 0, None)]
    assert all(m[1:] == (0, 0) for m in rows(board, "maaneder"))


def test_the_standards_statistics_table_shows_the_measures_it_names() -> None:
    from fhb.core.standard.loader import load_standard

    hjoerring = current_standard()
    assert hjoerring.statistics is not None and hjoerring.statistics.measures == ["offered", "completed"]
    table = dashboard(Filters(2027), hjoerring, TODAY).table("standardens-statistik")
    assert table.columns[1:] == ("Tilbudte besøg", "Gennemførte besøg")
    assert "løbende statistik" in table.note
    only_offered = hjoerring.statistics.model_copy(update={"measures": ["offered"]})
    board = dashboard(Filters(2027), hjoerring.model_copy(update={"statistics": only_offered}), TODAY)
    assert board.table("standardens-statistik").columns[1:] == ("Tilbudte besøg",)
    herning = dashboard(Filters(2027), load_standard("herning"), TODAY)
    assert "standardens-statistik" not in {t.key for t in herning.tables}, "Herning names no statistics"


def test_the_seniormesse_and_club_visits_follow_the_standards_activities(settings: Any) -> None:
    from fhb.core.standard.loader import load_standard
    from tests.events.world import club_visit, dorte, invited_world

    event = invited_world(capacity=120)
    registration = event_actions.register(
        event, dorte(), standard=current_standard(), registered_on=dt.date(2027, 2, 1), channel=Channel.PHONE
    )
    event_actions.record_attendance(event, [registration.pk], today=dt.date(2027, 4, 20))
    club_visit(dt.date(2027, 3, 2), 25)
    club_visit(dt.date(2027, 3, 20), 14, kind="pensioners")
    hjoerring = dashboard(Filters(2027), current_standard(), TODAY)
    assert rows(hjoerring, "seniormesse") == [("Seniormesse", "20.04.2027", 1, 1, 1, 120)]
    assert "klubbesoeg" not in {t.key for t in hjoerring.tables}, "Hjørring's standard has no club talks"
    herning = dashboard(Filters(2027), load_standard("herning"), TODAY)
    assert "seniormesse" not in {t.key for t in herning.tables}
    months = rows(herning, "klubbesoeg")
    assert months[2] == ("mar", 2, 39) and sum(m[1] for m in months) == 2
    chart = next(c for c in herning.charts if c.table_key == "klubbesoeg")
    assert chart.series[0].values[2] == 2.0
