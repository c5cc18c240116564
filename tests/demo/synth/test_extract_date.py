"""An extract taken on a given day (``--on``): nothing in it happens after that day."""

from __future__ import annotations

import csv
import io
from datetime import date

from fhb.cli import main
from fhb.demo.synth.generator import SynthOptions, generate


def test_nothing_in_the_extract_lies_after_its_date() -> None:
    on = date(2026, 11, 23)
    citizens, events = io.StringIO(), io.StringIO()
    generate(SynthOptions(standard="ishoej", seed=3, size=0.3, year=2027, on=on), citizens, events)
    deaths = [r["death_date"] for r in csv.DictReader(io.StringIO(citizens.getvalue())) if r["death_date"]]
    starts = [r["start"] for r in csv.DictReader(io.StringIO(events.getvalue()))]
    assert deaths and max(deaths) < on.isoformat(), "deaths must lie before the extract date"
    assert max(starts) < on.isoformat(), "facts must have started before the extract date"


def test_extract_date_outside_the_plan_years_reach_is_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(
        [
            "synth",
            "--standard",
            "ishoej",
            "--seed",
            "1",
            "--year",
            "2027",
            "--on",
            "2020-01-01",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "--on must lie in 2026 or 2027" in capsys.readouterr().err
