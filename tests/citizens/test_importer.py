"""The import of an extract: all or nothing, change detection, history."""

from __future__ import annotations

from datetime import date

import pytest

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun
from fhb.core.population.model import InvalidInput
from tests.citizens.builders import BASE, BASE_EVENTS, citizens_csv, events_csv, person

pytestmark = pytest.mark.django_db


def run_import(people=BASE, events=BASE_EVENTS, force=False):  # type: ignore[no-untyped-def]
    """``force``: past the brake (these extracts of four leave out one citizen: 25 %)."""
    return import_extract(
        ImportFile("citizens.csv", citizens_csv(people)),
        ImportFile("events.csv", events_csv(events)) if events is not None else None,
        force=force,
    )


def counts(run: ImportRun) -> dict[str, int]:
    return {k: v for k, v in run.summary["counts"].items() if v}


def test_first_import_stores_citizens_dwellings_and_events() -> None:
    run = run_import()
    assert Citizen.objects.count() == 4
    assert Dwelling.objects.count() == 3
    assert CareEvent.objects.count() == 2
    assert counts(run) == {"new": 4, "events_started": 2}
    couple = Citizen.objects.get(cpr="0101501234")
    assert couple.birth_date == date(1950, 1, 1), "birth date comes from the CPR number"
    assert couple.sex == "F", "even last digit is female"
    assert couple.dwelling.residents.count() == 2
    assert couple.history.count() == 1, "creation is kept in the history"


def test_same_files_twice_change_nothing() -> None:
    run_import()
    history_before = Citizen.history.count() + CareEvent.history.count() + Dwelling.history.count()
    second = run_import()
    assert counts(second) == {}, f"second import of the same files reported changes: {counts(second)}"
    history_after = Citizen.history.count() + CareEvent.history.count() + Dwelling.history.count()
    assert history_after == history_before, "an unchanged import must not write history rows"


def test_reimport_reports_moves_deaths_widowhood_new_and_gone() -> None:
    run_import()
    people = [
        # Bent died; Åse is now a widow on his death date.
        person("0101501234", "Åse Testesen", "adr-1", civil_status="E", civil_status_date="2026-10-01"),
        person("0202481235", "Bent Testesen", "adr-1", civil_status="D", death_date="2026-10-01"),
        # Clara moved.
        person("0303441236", "Clara Prøvesen", "adr-9", civil_status="E", civil_status_date="2025-05-01"),
        # Dan is gone; Eva is new.
        person("0505601238", "Eva Nysen", "adr-4"),
    ]
    events = [
        {"cpr": "0303441236", "kind": "practical_help", "start": "2025-01-01", "end": "2026-09-30"},
        {"cpr": "0101501234", "kind": "bereavement", "start": "2026-10-01"},
    ]
    run = run_import(people, events, force=True)
    c = counts(run)
    assert c["new"] == 1
    assert c["moved"] == 1
    assert c["died"] == 1
    assert c["widowed"] == 1
    assert c["gone"] == 1
    assert c["events_started"] == 1
    assert c["events_ended"] == 1
    assert c["events_removed"] == 1, "Dan's nursing-home fact is not in the new events file"
    assert run.summary["cprs"]["moved"] == ["0303441236"]
    dan = Citizen.objects.get(cpr="0404371237")
    assert not dan.in_extract, "a citizen missing from the extract is kept but marked as gone"
    clara = Citizen.objects.get(cpr="0303441236")
    assert clara.dwelling.address_id == "adr-9"
    assert clara.history.count() == 2
    assert clara.history.first().history_change_reason.startswith(f"Indlæsning {run.pk}")


def test_citizen_back_in_extract_is_reported_as_returned() -> None:
    run_import()
    run_import(BASE[:3], events=None, force=True)
    run = run_import(BASE, events=None)
    assert counts(run) == {"returned": 1}
    assert Citizen.objects.get(cpr="0404371237").in_extract


def test_import_without_events_file_keeps_stored_facts() -> None:
    run_import()
    run = run_import(events=None)
    assert CareEvent.objects.count() == 2
    assert counts(run) == {}


def test_bad_input_stores_nothing_and_lists_every_problem() -> None:
    run_import()
    before = (Citizen.objects.count(), ImportRun.objects.count(), Citizen.history.count())
    people = [
        *BASE,
        person("3002401234", "Umulig Dato", "adr-5"),
        person("12345", "Kort Nummer", "adr-6"),
    ]
    with pytest.raises(InvalidInput) as caught:
        run_import(people)
    problems = caught.value.problems
    assert len(problems) == 2, [str(p) for p in problems]
    assert {p.row for p in problems} == {6, 7}, "rows are file lines, the header being line 1"
    assert all(p.file == "citizens.csv" and p.column == "cpr" for p in problems)
    after = (Citizen.objects.count(), ImportRun.objects.count(), Citizen.history.count())
    assert after == before, "nothing may be stored from a file with errors"


def test_unknown_spouse_is_a_warning_kept_on_the_run() -> None:
    people = [person("0101501234", "Åse Testesen", spouse_cpr="0909091239")]
    run = run_import(people, events=None)
    assert run.summary["warnings"] == 1
    assert run.warnings[0]["column"] == "spouse_cpr"


def test_interrupted_import_leaves_database_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    run_import()
    before = sorted(Citizen.objects.values_list("cpr", "name", "dwelling__address_id", "in_extract"))
    from fhb.citizens import importer

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("strømmen gik")

    monkeypatch.setattr(importer, "_apply_events", fail)
    changed = [person(p["cpr"], p["name"] + " Ny", "adr-7") for p in BASE]
    with pytest.raises(RuntimeError):
        run_import(changed)
    after = sorted(Citizen.objects.values_list("cpr", "name", "dwelling__address_id", "in_extract"))
    assert after == before
    assert ImportRun.objects.count() == 1


def test_holistic_care_from_the_contract_is_accepted_and_stored() -> None:
    """Helhedspleje under the Ældrelov (contract kind ``holistic_care``, since the 2025 reform)."""
    events = [*BASE_EVENTS, {"cpr": "0101501234", "kind": "holistic_care", "start": "2025-07-01"}]
    run = run_import(events=events)
    assert counts(run) == {"new": 4, "events_started": 3}
    care = CareEvent.objects.get(citizen__cpr="0101501234")
    assert (care.kind, care.start, care.end) == ("holistic_care", date(2025, 7, 1), None)
    assert care.get_kind_display() == "Helhedspleje (Ældreloven)"
