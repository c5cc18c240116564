"""fhb import: all or nothing, and the brake: an extract that leaves out more than
FHB_IMPORT_MAX_GONE_PERCENT of the citizens exits 3 and stores nothing unless --force."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from fhb.citizens.models import Citizen, ImportRun
from fhb.cli import main
from fhb.offers.models import Offer
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv, person
from tests.citizens.plan_world import build

pytestmark = pytest.mark.django_db

#: What an Excel test export looks like: two valid rows.
TWO_ROWS = [
    person("0101501234", "Åse Testesen", "adr-1", civil_status="G", spouse_cpr="0202481235"),
    person("0202481235", "Bent Testesen", "adr-1", civil_status="G", spouse_cpr="0101501234"),
]


def stored() -> tuple[Any, ...]:
    return (
        sorted(Citizen.objects.values_list()),
        ImportRun.objects.count(),
        sorted(Offer.objects.values_list("pk", "status", "withdrawn_reason")),
        sorted(Visit.objects.values_list("pk", "status", "status_reason")),
    )


def write(tmp_path: Path, people: list[dict[str, Any]]) -> str:
    path = tmp_path / "citizens.csv"
    path.write_bytes(citizens_csv(people))
    return str(path)


def test_an_extract_that_leaves_out_too_many_exits_3_and_stores_nothing(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    build()
    before = stored()
    assert main(["import", "--citizens", write(tmp_path, TWO_ROWS)]) == 3
    assert stored() == before, "citizens, runs, offers and visits as they were"
    out, err = capsys.readouterr()
    assert "Ikke længere i udtrækket: 4" in out, out
    assert "Nye borgere: 0" in out
    # what is at stake: the visits count from the real today (tests/citizens/test_preview.py fixes the day)
    assert re.search(r"\d+ planlagte besøg og 2 åbne tilbud venter", out), out
    assert "4 af de 6 borgere" in err and "grænsen er 5 %" in err and "--force" in err, err


def test_force_applies_it_and_keeps_the_plan(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    world = build()
    assert main(["import", "--citizens", write(tmp_path, TWO_ROWS), "--force"]) == 0
    out = capsys.readouterr().out
    assert "Ikke længere i udtrækket: 4" in out and "venter på lederens beslutning" in out, out
    assert ImportRun.objects.count() == 2
    assert set(Citizen.objects.filter(in_extract=False).values_list("name", flat=True)) == {
        "Clara Prøvesen",
        "Dan Eksempelsen",
        "Petra Skjult",
        "Hans Husfælle",
    }
    world.dan_visit.refresh_from_db()
    world.dan_offer.refresh_from_db()
    assert world.dan_visit.status == Visit.Status.PLANNED, "leaving the extract cancels nothing"
    assert world.dan_offer.status == Offer.Status.ACTIVE


def test_a_small_change_needs_no_force(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = [person(f"010150{i:04d}", f"Borger {i}", f"adr-{i}") for i in range(1000, 1040)]
    assert main(["import", "--citizens", write(tmp_path, first)]) == 0, "a first import never trips the brake"
    assert main(["import", "--citizens", write(tmp_path, first[:38])]) == 0, "2 of 40 (5 %) is not above 5 %"
    assert Citizen.objects.filter(in_extract=False).count() == 2
