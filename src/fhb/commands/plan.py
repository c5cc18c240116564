"""``fhb plan --from DATE --weeks N [--seconds S] [--seed N] [--dry-run]``: place visits on calendars.

Plans the horizon from DATE for N weeks: keeps every promised visit where it is, places the waiting offers
that carry a time (and re-places draft visits) on the consultants' shifts with short routes, and writes
the result. Prints what was placed and, for each visit it could not place, why (a capacity warning).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from fhb.commands import django_setup

help = "Plan visits on the consultants' calendars (PyVRP); lists what could not be placed and why."


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=_date, required=True, help="first day (YYYY-MM-DD)")
    parser.add_argument("--weeks", type=int, required=True, help="weeks to plan (1-26)")
    parser.add_argument("--seconds", type=_positive, help="search time (default FHB_PLAN_SECONDS)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the search (default 0)")
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.weeks <= 26:
        print(f"--weeks skal være 1-26 (fik {args.weeks})")
        return 2
    django_setup()
    from fhb.planning.actions import run_plan
    from fhb.planning.locks import BookingError
    from fhb.standards.current import current_standard

    try:
        plan_run, plan = run_plan(
            args.first,
            args.weeks,
            standard=current_standard(),
            seconds=args.seconds,
            seed=args.seed,
            dry_run=args.dry_run,
        )
    except BookingError as error:
        print(f"fhb plan: {error}", file=sys.stderr)
        return 1
    summary = plan_run.summary
    print(
        f"Plan {plan.first:%d.%m.%Y}-{plan.last:%d.%m.%Y}: {summary['visits']} besøg på {summary['days']} "
        f"dage ({summary['promised']} lovede ligger fast); nye {summary['created']}, flyttede "
        f"{summary['moved']}, fjernede kladder {summary['removed']}"
        + (" (prøvekørsel: intet gemt)" if args.dry_run else "")
    )
    print(
        f"Kørsel: {summary['driving_min']} min i alt, {summary['driving_min_per_visit']} min pr. besøg, "
        f"{float(summary['driving_share']):.0%} af arbejdstiden"
    )
    if summary["waiting"]:
        print(f"{summary['waiting']} besøg kan vente til en senere plan (skal holdes efter planperioden).")
    for item in summary["not_placed"]:
        names = ", ".join(c["name"] for c in item["citizens"]) or item["key"]
        print(f"ADVARSEL: {names}: {item['text']}")
    for citizen in summary["missing_place"]:
        print(f"ADVARSEL: {citizen['name']}: boligen mangler koordinater og kan ikke planlægges.")
    return 0
