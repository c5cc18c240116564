"""``fhb eligibility``: evaluate a quality standard over a population extract (shared/contract/README.md).

Output on stdout, CSV (or JSON) with the columns cpr, group, decision, letter, due_from, due_to, trigger,
reason; sorted by cpr, group, due_from. Exit 0 on success; on bad input exit 2 with a message on stderr
naming the file, row and column, and nothing on stdout. Pure: no Django.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import signal
import sys
from array import array
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import accumulate
from operator import itemgetter
from typing import TextIO

from fhb.core.eligibility import COLUMNS, Decision, evaluate
from fhb.core.eligibility.engine import Engine
from fhb.core.eligibility.model import CONTRACT_LETTER
from fhb.core.population.model import InvalidInput
from fhb.core.standard import QualityStandard, StandardError, load_standard

help = "Evaluate a quality standard over citizens.csv/events.csv: who gets which offer, and why."

#: Exit code for bad input (contract).
EXIT_BAD_INPUT = 2

#: A citizens.csv smaller than this (about 35,000 rows) is evaluated in one process: each process reads
#: both files, so small files gain nothing from a second one. Tests set it to 0 to take the two-process path
#: on small files.
PARALLEL_MIN_BYTES = 5_000_000
#: Households are spread over this many buckets by their address; this process evaluates the first
#: OWN_BUCKETS of them when it forks a second one (a little less than half, as it also merges and writes).
BUCKETS = 100
OWN_BUCKETS = 48


class UsageProblem(Exception):
    """A bad argument value (a date, a year); the message names the flag."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--standard",
        required=True,
        metavar="NAME_OR_FILE",
        help="hjoerring, herning, ishoej, or a .toml file",
    )
    parser.add_argument("--year", required=True, metavar="YYYY", help="the plan year")
    parser.add_argument("--citizens", required=True, metavar="citizens.csv", help="the population extract")
    parser.add_argument("--events", metavar="events.csv", help="facts from the care system")
    parser.add_argument(
        "--on", metavar="YYYY-MM-DD", help="date of the extract (default: 1 January of the plan year)"
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (csv)")
    parser.add_argument("--all", action="store_true", help="also list citizens in no target group")


def parse_year(text: str) -> int:
    """The plan year from ``--year``; raises :class:`UsageProblem`."""
    try:
        year = int(text.strip())
    except ValueError:
        raise UsageProblem(f"--year: {text!r} er ikke et årstal (YYYY)") from None
    if not 1900 <= year <= 2200:
        raise UsageProblem(f"--year: {year} ligger uden for 1900–2200")
    return year


def parse_on(text: str | None, year: int) -> date:
    """The extract date from ``--on`` (default 1 January of ``year``); raises :class:`UsageProblem`."""
    if text is None:
        return date(year, 1, 1)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageProblem(f"--on: {text!r} er ikke en gyldig dato (YYYY-MM-DD)") from None


def load_settings(args: argparse.Namespace) -> tuple[QualityStandard, int, date]:
    """The standard, plan year and extract date from the arguments (``fhb eligibility`` and ``fhb
    explain``); raises UsageProblem or StandardError."""
    year = parse_year(args.year)
    on = parse_on(args.on, year)
    return load_standard(args.standard), year, on


def report_bad_input(error: Exception, stream: TextIO) -> int:
    """Print a bad-input error on ``stream`` (stderr) and return the exit code 2."""
    if isinstance(error, InvalidInput):
        print("fhb: ugyldige inddata:", file=stream)
        for problem in error.problems:
            print(f"  {problem}", file=stream)
        if error.truncated:
            print(f"  ... flere fejl udeladt (viser de første {len(error.problems)})", file=stream)
    elif isinstance(error, StandardError):
        print("fhb: kvalitetsstandarden kan ikke bruges:", file=stream)
        for standard_problem in error.problems:
            print(f"  {error.source}: {standard_problem}", file=stream)
    else:
        print(f"fhb: {error}", file=stream)
    return EXIT_BAD_INPUT


def _csv_cell(text: str) -> str:
    """A cell as the csv module's minimal quoting writes it."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_lines(decisions: Iterable[Decision]) -> Iterator[str]:
    """The contract's CSV rows of ``decisions``, one string per row with its line end; no header.

    Written by hand rather than with ``csv.writer``: four times faster for the hundreds of thousands of
    rows of a municipality, and the same bytes (only ``reason`` can need quoting: the other cells are CPR
    numbers, ids, kinds and dates).
    """
    iso: dict[date | None, str] = {None: ""}
    for d in decisions:
        start = iso.get(d.due_from)
        if start is None:
            start = iso[d.due_from] = d.due_from.isoformat()  # type: ignore[union-attr]
        end = iso.get(d.due_to)
        if end is None:
            end = iso[d.due_to] = d.due_to.isoformat()  # type: ignore[union-attr]
        reason = _csv_cell(d.reason)
        letter = CONTRACT_LETTER[d.letter]
        yield f"{d.cpr},{d.group},{d.decision},{letter},{start},{end},{d.trigger or ''},{reason}\n"


def write_csv_lines(lines: Iterable[str], stream: TextIO) -> None:
    """The header, then ``lines`` (from :func:`csv_lines`), written in chunks."""
    chunk: list[str] = [",".join(COLUMNS) + "\n"]
    for line in lines:
        chunk.append(line)
        if len(chunk) >= 20_000:
            stream.write("".join(chunk))
            chunk.clear()
    stream.write("".join(chunk))


def write_csv(decisions: Iterable[Decision], stream: TextIO) -> None:
    """The contract's CSV: header, then one row per decision; empty cells for none."""
    write_csv_lines(csv_lines(decisions), stream)


def write_json(decisions: Iterable[Decision], stream: TextIO) -> None:
    """A JSON list of objects with the CSV's keys; null for none."""
    json.dump([d.as_row() for d in decisions], stream, ensure_ascii=False, indent=1)
    stream.write("\n")


# --- two processes --------------------------------------------------------------------------------------


#: What one part gives: its CSV rows, sorted by CPR (None: the one-process path must decide).
_PartResult = list[str] | None


def _evaluate_part(
    standard: QualityStandard, args: argparse.Namespace, year: int, on: date, part: range, share: int
) -> _PartResult:
    """Read and evaluate one part (:func:`fhb.core.population.columnar.read_part`)."""
    # Imported here, after the fork: polars starts threads when imported, and a forked child has none.
    from fhb.core.population.columnar import read_part

    engine = Engine(standard)
    found = read_part(args.citizens, args.events, part, BUCKETS, (share, 2), engine.event_kinds)
    if found is None:
        return None
    decisions = engine.evaluate(found.population, year, on, include_all=args.all)
    ghosts = found.ghost_cprs
    if ghosts:  # citizens of other parts, there for their death date: their rows are made there
        decisions = [d for d in decisions if d.cpr not in ghosts]
    return list(csv_lines(decisions))


def _packed(lines: list[str]) -> tuple[str, array[int]]:
    """Lines as one string and their lengths: pickled in two copies, where a list pickles line by line."""
    return "".join(lines), array("L", map(len, lines))


def _unpacked(joined: str, lengths: array[int]) -> list[str]:
    ends = list(accumulate(lengths))
    return [joined[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def evaluate_csv_in_two(
    standard: QualityStandard, args: argparse.Namespace, year: int, on: date
) -> list[str] | None:
    """The CSV rows of the evaluation, made by this process and a forked one, each with part of the
    households; None when the input needs the one-process path (the row parser, for any problem).

    Both processes read both files (polars), each checks half of their rows, and each evaluates the
    households of its buckets of addresses (:func:`fhb.core.population.columnar.read_part`). The output is
    used only when both found their half regular and valid. A citizen's rows are made in one part only,
    already sorted: merging the two sorted lists by CPR gives the one-process output.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
        os.close(read_end)
        try:
            result = _evaluate_part(standard, args, year, on, range(OWN_BUCKETS, BUCKETS), 1)
            payload = pickle.dumps(None if result is None else _packed(result), protocol=5)
        except BaseException:
            payload = pickle.dumps(None)
        try:
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)  # no atexit handlers, no flushing of buffers inherited from the parent
    os.close(write_end)
    try:
        mine = _evaluate_part(standard, args, year, on, range(OWN_BUCKETS), 0)
        if mine is None:
            os.kill(pid, signal.SIGKILL)
            return None
        with os.fdopen(read_end, "rb") as stream:
            read_end = -1
            data = stream.read()
    finally:
        if read_end != -1:
            os.close(read_end)
        os.waitpid(pid, 0)
    packed: tuple[str, array[int]] | None = pickle.loads(data) if data else None
    if packed is None:
        return None
    theirs = _unpacked(*packed)
    # Two runs sorted by CPR, no CPR in both: the stable sort merges them as they are, in C.
    mine += theirs
    mine.sort(key=itemgetter(slice(0, 10)))
    return mine


def _use_two_processes(args: argparse.Namespace) -> bool:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if args.format != "csv" or not hasattr(os, "fork") or cpus < 2:
        return False
    if "polars" in sys.modules:  # its threads are running: a forked child would have none and could hang
        return False
    try:
        return os.path.getsize(args.citizens) >= PARALLEL_MIN_BYTES
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    # A short-lived process that builds millions of acyclic records which all stay alive until it ends: the
    # cycle collector would only walk them again and again (a third of the run time at 1.5 M persons).
    gc.disable()
    try:
        standard, year, on = load_settings(args)
    except (UsageProblem, StandardError) as error:
        return report_bad_input(error, sys.stderr)
    if _use_two_processes(args):
        lines = evaluate_csv_in_two(standard, args, year, on)
        if lines is not None:
            write_csv_lines(lines, sys.stdout)
            sys.stdout.flush()
            return 0
    # Imported here, after any fork: the reader imports polars (its columnar path), which starts threads.
    from fhb.core.population.csv_reader import read_population

    try:
        population = read_population(args.citizens, args.events)
    except InvalidInput as error:
        return report_bad_input(error, sys.stderr)
    decisions = evaluate(standard, population, year, on, include_all=args.all)
    if args.format == "json":
        write_json(decisions, sys.stdout)
    else:
        write_csv(decisions, sys.stdout)
    sys.stdout.flush()
    return 0
