"""Assessments of need, referrals and the worklist's deadlines on the statistics page and in the report.

The world is tests/stats/world.py (Hjørring, plan year 2027, counted on 23 November 2027); each test writes
the assessments and follow-ups by hand and checks every number of the tables they make.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pypdf
import pytest

from fhb.citizens.models import Citizen
from fhb.offers.models import Assessment, Channel, FollowUp, Offer, Request
from fhb.privacy.retention import anonymise
from fhb.standards.current import current_standard
from fhb.stats.dashboard import dashboard
from fhb.stats.figures import Filters
from tests.conftest import PASSWORD
from tests.letters.world import ALONE70, HUSBAND85, PAPER80, TURNS75, WIFE80

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 11, 23)
RISK = "Målgruppe 5: Borgere fra 65 år i særlig risiko, efter behov"
#: The codes an assessment is stored with, which no page or report may show.
CODES = re.compile(
    r"\b(need|no_need|not_reached|declined|closed|bereavement|retraining|referral|run|gp|relative|hospital"
    r"|colleague|risk)\b"
)


def assess(
    cpr: str,
    *,
    trigger: str = "",
    referred_by: str = "",
    deadline: dt.date = dt.date(2027, 3, 1),
    outcome: str = "",
    decided_on: dt.date | None = None,
    consultant: Any = None,
    group: str = "risk",
    year: int = 2027,
) -> Assessment:
    origin = Assessment.Origin.REFERRAL if referred_by else Assessment.Origin.RUN
    return Assessment.objects.create(
        citizen=Citizen.objects.get(cpr=cpr),
        year=year,
        group=group,
        trigger=trigger,
        what="Hændelse",
        known_on=deadline - dt.timedelta(days=14),
        deadline=deadline,
        due_to=dt.date(year, 12, 31),
        origin=origin,
        referred_by=referred_by,
        consent=referred_by == Assessment.ReferredBy.RELATIVE,
        consultant=consultant,
        outcome=outcome,
        decided_on=decided_on,
    )


def cases(anna: Any, bo: Any) -> None:
    """Eight assessments of 2027 (and one of 2026, not counted).

    Loss of a spouse: need found on time, no need late. Ended retraining: not reached on time, still open
    (deadline passed), closed. Referrals: the GP's declined on time, a relative's open (not yet due), a
    hospital's need found late."""
    b, late = dt.date(2027, 3, 1), dt.date(2027, 3, 9)
    assess(ALONE70["cpr"], trigger="bereavement", outcome="need", decided_on=b, consultant=anna)
    assess(WIFE80["cpr"], trigger="bereavement", outcome="no_need", decided_on=late, consultant=bo)
    assess(HUSBAND85["cpr"], trigger="retraining", outcome="not_reached", decided_on=b - dt.timedelta(1))
    assess(TURNS75["cpr"], trigger="retraining", consultant=anna)
    assess(PAPER80["cpr"], trigger="retraining", outcome="closed")
    assess(ALONE70["cpr"], referred_by="gp", outcome="declined", decided_on=b, consultant=anna)
    assess(WIFE80["cpr"], referred_by="relative", deadline=dt.date(2027, 12, 6), consultant=bo)
    assess(TURNS75["cpr"], referred_by="hospital", outcome="need", decided_on=late, consultant=anna)
    assess(TURNS75["cpr"], trigger="bereavement", outcome="need", decided_on=b, year=2026)


def rows(board: Any, key: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in board.table(key).rows]


def test_assessments_are_counted_by_group_trigger_and_outcome(year_2027: dict[str, Any]) -> None:
    cases(year_2027["anna"], year_2027["bo"])
    board = dashboard(Filters(2027), current_standard(), TODAY)
    table = board.table("vurderinger")
    assert table.columns == (
        "Målgruppe",
        "Udløst af",
        "Modtaget",
        "Behov: tilbud givet",
        "Intet behov",
        "Ikke truffet",
        "Borgeren takker nej",
        "Bortfaldet",
        "Afventer vurdering",
        "Afgjort inden fristen",
    )
    # received, need, no need, not reached, declined, closed, open, decided in time
    assert rows(board, "vurderinger") == [
        (RISK, "Tab af ægtefælle", 2, 1, 1, 0, 0, 0, 0, 1),
        (RISK, "Afsluttet genoptræningsplan (SUL § 140)", 3, 0, 0, 1, 0, 1, 1, 1),
        (RISK, "Henvisning: Pårørende", 1, 0, 0, 0, 0, 0, 1, 0),
        (RISK, "Henvisning: Egen læge", 1, 0, 0, 0, 1, 0, 0, 1),
        (RISK, "Henvisning: Hospital", 1, 1, 0, 0, 0, 0, 0, 0),
        ("I alt", None, 8, 2, 1, 1, 1, 1, 2, 3),
    ], "the standard's trigger order, then the referrals by source; late and closed are not in time"


def test_referrals_are_counted_by_source_and_outcome(year_2027: dict[str, Any]) -> None:
    cases(year_2027["anna"], year_2027["bo"])
    board = dashboard(Filters(2027), current_standard(), TODAY)
    assert rows(board, "henvisninger") == [
        ("Kollega i kommunen", 0, 0, 0, 0, 0, 0, 0, 0),
        ("Pårørende", 1, 0, 0, 0, 0, 0, 1, 0),
        ("Egen læge", 1, 0, 0, 0, 1, 0, 0, 1),
        ("Hospital", 1, 1, 0, 0, 0, 0, 0, 0),
        ("Andre", 0, 0, 0, 0, 0, 0, 0, 0),
        ("I alt", 3, 1, 0, 0, 1, 0, 1, 1),
    ]


def test_the_group_and_consultant_filters_narrow_the_assessments(year_2027: dict[str, Any]) -> None:
    cases(year_2027["anna"], year_2027["bo"])
    standard = current_standard()
    bo = dashboard(Filters(2027, consultant_id=year_2027["bo"].pk), standard, TODAY)
    assert rows(bo, "vurderinger") == [
        (RISK, "Tab af ægtefælle", 1, 0, 1, 0, 0, 0, 0, 0),
        (RISK, "Henvisning: Pårørende", 1, 0, 0, 0, 0, 0, 1, 0),
        ("I alt", None, 2, 0, 1, 0, 0, 0, 1, 0),
    ]
    other_group = dashboard(Filters(2027, group="age80"), standard, TODAY)
    assert rows(other_group, "vurderinger") == [] and rows(other_group, "henvisninger") == []
    assert rows(other_group, "frister")[0][1:5] == (3, 2, 1, 1), "the deadlines are the municipality's"


def test_an_unknown_trigger_and_group_show_no_codes(year_2027: dict[str, Any]) -> None:
    assess(ALONE70["cpr"], trigger="moon_landing")
    assess(WIFE80["cpr"], group="alone70")
    board = dashboard(Filters(2027), current_standard(), TODAY)
    assert [row[:2] for row in rows(board, "vurderinger")] == [
        ("Målgruppe 1: Borgere, der bor alene, i det år de fylder 70", "Fundet ved kørslen"),
        (RISK, "Anden hændelse"),
        ("I alt", None),
    ]


def test_the_figures_stay_when_the_citizens_are_anonymised(year_2027: dict[str, Any]) -> None:
    cases(year_2027["anna"], year_2027["bo"])
    standard = current_standard()
    before = dashboard(Filters(2027), standard, TODAY)
    gone = Citizen.objects.filter(cpr__in=[ALONE70["cpr"], TURNS75["cpr"]])
    gone.update(in_extract=False)
    assert anonymise(gone, on=TODAY) == 2
    after = dashboard(Filters(2027), standard, TODAY)
    for key in ("vurderinger", "henvisninger", "frister"):
        assert after.table(key) == before.table(key), key


def follow_up(offer: Offer, due: dt.date, status: str = "open", done_on: dt.date | None = None) -> FollowUp:
    return FollowUp.objects.create(offer=offer, due=due, status=status, done_on=done_on)


def test_the_worklist_deadlines_for_assessments_requests_and_follow_ups(year_2027: dict[str, Any]) -> None:
    cases(year_2027["anna"], year_2027["bo"])
    # The world's requests: decided on time, decided late, waiting past its deadline. One more waiting and
    # not yet due, one without a deadline (not counted) and one of 2026.
    citizen = Citizen.objects.get(cpr=TURNS75["cpr"])
    for received, deadline in ((dt.date(2027, 11, 20), dt.date(2027, 12, 11)), (dt.date(2027, 5, 1), None)):
        Request.objects.create(
            citizen=citizen, received=received, came_from="citizen", channel=Channel.PHONE, deadline=deadline
        )
    offers = list(Offer.objects.filter(year=2027).order_by("pk")[:5])
    follow_up(offers[0], dt.date(2027, 4, 1), "done", dt.date(2027, 4, 1))
    follow_up(offers[1], dt.date(2027, 4, 1), "done", dt.date(2027, 4, 2))
    follow_up(offers[2], dt.date(2027, 11, 22))
    follow_up(offers[3], dt.date(2027, 11, 23))
    follow_up(offers[4], dt.date(2027, 5, 1), "closed")
    board = dashboard(Filters(2027), current_standard(), TODAY)
    table = board.table("frister")
    assert table.columns == (
        "Opgave",
        "Løst inden fristen",
        "Løst efter fristen",
        "Åben, over fristen",
        "Åben, endnu ikke forfalden",
        "Andel inden fristen (%)",
    )
    # done on time, done late, open past the deadline, open not yet due, share on time of (done + overdue)
    assert rows(board, "frister") == [
        ("Vurderinger af behov", 3, 2, 1, 1, 50.0),
        ("Henvendelser", 1, 1, 1, 1, 33.3),
        ("Opfølgninger", 1, 1, 1, 1, 33.3),
    ], "closed assessments and follow-ups and requests without a deadline are not counted"


def test_an_empty_year_has_no_assessment_rows(year_2027: dict[str, Any]) -> None:
    board = dashboard(Filters(2031), current_standard(), TODAY)
    assert rows(board, "vurderinger") == [] and rows(board, "henvisninger") == []
    assert rows(board, "frister") == [
        ("Vurderinger af behov", 0, 0, 0, 0, None),
        ("Henvendelser", 0, 0, 0, 0, None),
        ("Opfølgninger", 0, 0, 0, 0, None),
    ]


@pytest.fixture
def leader(client: Any, make_user: Any, year_2027: dict[str, Any]) -> Any:
    """The cases, and three follow-ups done (one on time): a share of 33,3 % whatever day the test runs."""
    cases(year_2027["anna"], year_2027["bo"])
    offers = list(Offer.objects.filter(year=2027).order_by("pk")[:3])
    for offer, done_on in zip(
        offers, (dt.date(2027, 4, 1), dt.date(2027, 4, 2), dt.date(2027, 5, 1)), strict=True
    ):
        follow_up(offer, dt.date(2027, 4, 1), "done", done_on)
    make_user("leader")
    assert client.login(username="leader", password=PASSWORD)
    return client


def section(page: str, key: str) -> str:
    found = re.search(rf'<section class="stat" id="{key}">.*?</section>', page, re.DOTALL)
    assert found, f"the page has the table {key}"
    return found.group(0)


def test_the_page_shows_the_tables_in_plain_danish(leader: Any) -> None:
    page = leader.get("/statistik/", {"year": "2027"}).content.decode()
    assessments = section(page, "vurderinger")
    assert "Vurderinger af behov" in assessments and "Tab af ægtefælle" in assessments
    assert "Henvisning: Egen læge" in assessments and "Afventer vurdering" in assessments
    assert "Egen læge" in section(page, "henvisninger")
    deadlines = section(page, "frister")
    assert "Opgaver løst inden fristen" in deadlines and "33,3" in deadlines, "a Danish decimal comma"
    shown = [
        re.sub(r"<[^>]*>", " ", part) for part in (assessments, section(page, "henvisninger"), deadlines)
    ]
    assert not CODES.findall(" ".join(shown)), "the text shows no stored codes"
    assert "/statistik/eksport/vurderinger.csv?year=2027" in page


def test_the_committee_report_and_the_workbook_have_the_tables(leader: Any) -> None:
    response = leader.get("/statistik/rapport.pdf", {"year": "2027"})
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    flat = "".join(text.split())
    for words in ("Vurderinger af behov", "Henvisninger", "Opgaver løst inden fristen", "Tab af ægtefælle"):
        assert "".join(words.split()) in flat, words
    assert "33,3" in text
    assert not CODES.findall(text)
    csv = leader.get("/statistik/eksport/henvisninger.csv", {"year": "2027"}).content.decode("utf-8-sig")
    assert csv.splitlines()[3] == "Egen læge;1;0;0;0;1;0;0;1"
