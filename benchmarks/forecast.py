"""Benchmark: the capacity forecast of a 100,000-person municipality for three years.

Target (issue "capacity forecast and policy simulation"): with a 100,000-citizen municipality the forecast
for three years takes at most 10 s.

The script builds a synthetic population of about 100,000 persons with the generator (``fhb synth``'s
code, no database; files cached under ``$TMPDIR/fhb-bench/forecast-*``), parses it once into core records,
and times ``fhb.core.forecast.forecast`` (population -> Forecast) for Hjørring's standard, plan years
2028-2030 from the extract of 1 January 2027, with the default rates: the best of three runs, in this
process. The last line is the verdict::

    forecast: 3.41 s (target ≤ 10 s) PASS

Usage: ``python benchmarks/forecast.py`` (no arguments). Exit status 0 when the target is met, 1 otherwise.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from fhb.core.forecast import Rates, forecast, load_mortality
from fhb.core.population.csv_reader import read_population
from fhb.core.standard import load_standard
from fhb.demo.synth.generator import SynthOptions, write_municipality

PERSONS = 100_000
STANDARD = "hjoerring"
SEED = 1
EXTRACT = date(2027, 1, 1)
YEARS = (2028, 2029, 2030)
TARGET_S = 10.0
REPEAT = 3
CACHE = Path(tempfile.gettempdir()) / "fhb-bench"


def count_rows(path: Path) -> int:
    with open(path, "rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b"")) - 1


def synthetic(size: float) -> Path:
    """The generator's files for ``size`` (cached); the folder."""
    folder = CACHE / f"forecast-{STANDARD}-seed{SEED}-size{size:g}"
    if not (folder / "done").exists():
        print(f"generating {folder} ...", file=sys.stderr, flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        write_municipality(SynthOptions(standard=STANDARD, seed=SEED, size=size, year=EXTRACT.year), folder)
        (folder / "done").write_text(str(count_rows(folder / "citizens.csv")))
    return folder


def main() -> int:
    unit = int((synthetic(1.0) / "done").read_text())
    folder = synthetic(round(PERSONS / unit, 3))
    start = time.perf_counter()
    population = read_population(folder / "citizens.csv", folder / "events.csv")
    parse_s = time.perf_counter() - start
    standard = load_standard(STANDARD)
    mortality = load_mortality()
    runs = []
    result = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = forecast(standard, population, YEARS, on=EXTRACT, mortality=mortality, rates=Rates())
        runs.append(time.perf_counter() - start)
    assert result is not None
    best = min(runs)
    print(f"persons: {len(population.citizens):,}, events: {len(population.events):,}")
    print(f"parse (not timed in the target): {parse_s:.2f} s")
    print(f"forecast {YEARS[0]}-{YEARS[-1]}, {STANDARD}: " + ", ".join(f"{run:.2f} s" for run in runs))
    for entry in result.years:
        print(
            f"  {entry.year}: {entry.total.letters:,.0f} letters, {entry.total.visits:,.0f} visits, "
            f"{entry.total.hours:,.0f} hours, {entry.consultants} full-time consultants"
        )
    verdict = "PASS" if best <= TARGET_S else "FAIL"
    print(f"forecast: {best:.2f} s (target ≤ {TARGET_S:g} s) {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
