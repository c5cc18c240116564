"""A fifth municipality as data only (issue 20): Ærø Kommune's file (tests/data/standards/aeroe) through the
app, with no change to fhb: a run, the calls on the worklist, the letters in the folder's own wording, the
planner, and ``fhb synth`` refusing a municipality it has no figures for (the folder's municipality.toml
gives Ærø's: tests/demo/synth/test_municipality_file.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.cli import main
from fhb.core.standard.schema import QualityStandard
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.outbox import render_pending
from fhb.offers.actions import start_run
from fhb.offers.assessment_actions import register_referral
from fhb.offers.assessments import AssessmentError, referral_groups
from fhb.offers.models import Assessment, EligibilityRun, Offer
from fhb.pages import worklist
from fhb.pages.worklist import At, Kind
from fhb.planning.actions import run_plan
from fhb.standards.current import standard_named
from tests.citizens.builders import citizens_csv, events_csv, person
from tests.letters.test_outbox import flat, pdf_text
from tests.letters.world import sender_settings
from tests.standard_files import standard_file_in_force

pytestmark = pytest.mark.django_db

PATH = Path(__file__).parents[1] / "data" / "standards" / "aeroe" / "aeroe.toml"

# Plan year 2027. Synthetic people: a man living alone turning 70 (a letter), a woman turning 75 and a man
# turning 80 (a call from the birthday), a woman of 83 (a yearly call), each of these three living with a
# younger partner, and a woman turning 70 who does not live alone (nothing).
ALONE70 = person("0303571231", "Aksel Ærøsen", "adr-1")
TURNS75 = person("0505524322", "Birgit Marstal", "adr-2", civil_status="G", spouse_cpr="0505671233")
SPOUSE75 = person("0505671233", "Bo Marstal", "adr-2", civil_status="G", spouse_cpr="0505524322")
TURNS80 = person("0808471235", "Carl Søby", "adr-3", civil_status="G", spouse_cpr="0808674324")
SPOUSE80 = person("0808674324", "Cecilie Søby", "adr-3", civil_status="G", spouse_cpr="0808471235")
AGED83 = person("0606444326", "Dora Rise", "adr-4", civil_status="G", spouse_cpr="0606611237")
SPOUSE83 = person("0606611237", "Dan Rise", "adr-4", civil_status="G", spouse_cpr="0606444326")
NOT_ALONE70 = person("0404574328", "Else Bregninge", "adr-5", civil_status="G", spouse_cpr="0404771239")
SPOUSE70 = person("0404771239", "Erik Bregninge", "adr-5", civil_status="G", spouse_cpr="0404574328")
PEOPLE = [ALONE70, TURNS75, SPOUSE75, TURNS80, SPOUSE80, AGED83, SPOUSE83, NOT_ALONE70, SPOUSE70]
PHONED = {TURNS75["cpr"]: "age75", TURNS80["cpr"]: "age80", AGED83["cpr"]: "age82plus"}

#: Past both phone birthdays (5 May, 8 August): every call's window has begun.
TODAY = date(2027, 9, 1)


@pytest.fixture(autouse=True)
def aeroe_in_force(settings: Any) -> Iterator[None]:
    yield from standard_file_in_force(settings, PATH)


def aeroe() -> QualityStandard:
    return standard_named(str(PATH))


@pytest.fixture
def run() -> EligibilityRun:
    import_extract(ImportFile("citizens.csv", citizens_csv(PEOPLE)), ImportFile("events.csv", events_csv([])))
    sender_settings()
    return start_run(2027, "yearly", on=date(2027, 1, 1), standard=aeroe())


def test_the_run_stores_a_letter_offer_and_phone_offers(run: EligibilityRun) -> None:
    assert run.standard == "aeroe"
    offers = {(o.citizen.cpr, o.group): o for o in Offer.objects.select_related("citizen")}
    assert set(offers) == {(ALONE70["cpr"], "alone70"), *PHONED.items()}
    assert offers[ALONE70["cpr"], "alone70"].letter == Offer.Letter.WITHOUT_TIME
    assert all(offers[key].letter == Offer.Letter.PHONE for key in PHONED.items())
    assert offers[TURNS80["cpr"], "age80"].due_from == date(2027, 8, 8), "from the birthday"


def test_the_worklist_says_ring_til_borgeren_for_the_phone_offers(run: EligibilityRun) -> None:
    at = At(dt.datetime.combine(TODAY, dt.time(8), tzinfo=dt.UTC), TODAY)
    scope = worklist.Scope(kinds=frozenset(Kind.ALL), everyone=True)
    assert worklist.kind_label(Kind.CALL) == "Ring til borgeren"
    assert worklist.by_kind(worklist.tally(scope, at))[Kind.CALL].total == 3
    calls = worklist.tasks(scope, at, limit=50)[Kind.CALL]
    assert {t.citizen_cpr for t in calls} == set(PHONED)
    # Before the 75-year-old's birthday (less the 14 days' notice) there is no call to make yet.
    early = date(2027, 3, 1)
    before = worklist.tasks(scope, At(dt.datetime.combine(early, dt.time(8), tzinfo=dt.UTC), early), limit=50)
    assert {t.citizen_cpr for t in before.get(Kind.CALL, [])} == {AGED83["cpr"]}


def test_the_letter_is_worded_by_the_folder_and_the_phone_offers_get_none(run: EligibilityRun) -> None:
    send_run_letters(run, today=TODAY, standard=aeroe())
    render_pending(processes=1)
    letters = list(Letter.objects.exclude(status=Letter.Status.CANCELLED))
    assert [(x.citizen.cpr, x.kind) for x in letters] == [(ALONE70["cpr"], "offer_without_time")]
    text = flat(pdf_text(bytes(letters[0].pdf)))  # type: ignore[arg-type]
    assert "Ærø Kommune tilbyder hvert år et forebyggende hjemmebesøg" in text
    assert "Vi ringer ikke til dig om dette tilbud; skriv eller ring til os, så aftaler vi et besøg." in text
    assert "Tilbuddet gives efter Ældreloven." in text


def test_the_planner_runs_and_places_no_visit_for_offers_not_yet_agreed(run: EligibilityRun) -> None:
    plan_run, _plan = run_plan(date(2027, 9, 6), 2, seconds=0.5, standard=aeroe(), today=TODAY)
    assert plan_run.pk is not None
    assert not Offer.objects.filter(visits__isnull=False).exists()


def test_fhb_synth_refuses_a_municipality_without_figures(tmp_path: Path, capsys: Any) -> None:
    folder = shutil.copytree(
        PATH.parent, tmp_path / "aeroe", ignore=shutil.ignore_patterns("municipality.toml")
    )
    out = tmp_path / "extract"
    assert main(["synth", "--standard", str(folder / PATH.name), "--seed", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no synthetic population for municipality code 492" in err
    assert "860 (Hjørring), 657 (Herning), 183 (Ishøj)" in err
    assert "municipality.toml beside the standard file, or --municipality FILE" in err
    assert not (out / "citizens.csv").exists()


def test_a_citizen_is_referred_to_malgruppe_4_and_assessed(run: EligibilityRun) -> None:
    """Målgruppe 4 has no facts to find its citizens by: a consultant registers a referral, an assessment."""
    standard = aeroe()
    assert [g.id for g in referral_groups(standard)] == ["risk"]
    assert not Assessment.objects.exists(), "the run placed no one in Målgruppe 4"
    bo = Citizen.objects.get(cpr=SPOUSE75["cpr"])  # 60 in 2027: too young
    with pytest.raises(AssessmentError, match="65–81"):
        register_referral(
            bo, group="risk", referred_by="gp", received=TODAY, today=TODAY, standard=standard, what="Fald"
        )
    carl = Citizen.objects.get(cpr=TURNS80["cpr"])  # 79 on 1 September 2027
    made = register_referral(
        carl, group="risk", referred_by="gp", received=TODAY, today=TODAY, standard=standard, what="Fald"
    )
    assert (made.group, made.origin, made.outcome) == ("risk", "referral", "")
