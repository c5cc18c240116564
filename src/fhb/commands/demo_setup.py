"""``fhb demo-setup --standard NAME``: an embedded demo with a synthetic municipality and demo users."""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from fhb.commands import django_setup

help = "Build the demo: migrate, generate and import a synthetic municipality, create demo users."

DEMO_USERS = [
    ("konsulent", "Karen", "Konsulent", "consultant"),
    ("leder", "Lars", "Leder", "leader"),
    ("admin", "Anne", "Administrator", "admin"),
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--standard", default="hjoerring", help="hjoerring, herning or ishoej")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=float, default=1.0, help="population scale (1 = the real size)")
    parser.add_argument("--year", type=int, default=2027, help="plan year of the synthetic extract")


def run(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings

    if args.standard != settings.FHB_STANDARD:
        print(
            f"fhb demo-setup: FHB_STANDARD er {settings.FHB_STANDARD!r}, "
            f"men --standard er {args.standard!r}; sæt FHB_STANDARD til samme kvalitetsstandard"
            " (make demo STANDARD=... gør det)",
            file=sys.stderr,
        )
        return 2
    from django.core.management import call_command

    from fhb.accounts.models import User
    from fhb.citizens.importer import ImportFile, import_extract
    from fhb.synth.generator import SynthOptions, write_municipality

    call_command("migrate", interactive=False, verbosity=0)
    out = Path(settings.DATA_DIR) / "extract"
    options = SynthOptions(standard=args.standard, seed=args.seed, size=args.size, year=args.year)
    write_municipality(options, out)
    result = import_extract(
        ImportFile.from_path(out / "citizens.csv"), ImportFile.from_path(out / "events.csv")
    )
    counts = result.summary["counts"]
    print(
        f"Demo: {result.summary['total_citizens']} syntetiske borgere i {args.standard} "
        f"({counts['new']} nye, {counts['other_changes']} ændrede) fra {out}"
    )
    from django.utils import timezone

    from fhb.offers.service import default_extract_date, start_run

    on = default_extract_date(args.year, timezone.localdate())
    eligibility = start_run(args.year, "yearly", on=on)
    print(
        f"Årskørsel {args.year}: {eligibility.summary['new']} afgørelser gemt"
        " (tilbud, undtagelser, vurderinger)"
    )
    print("Demo-brugere (adgangskoder gælder denne demo):")
    for username, first, last, role in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.role = first, last, role
        user.is_superuser = role == "admin"
        user.set_password(password)
        user.save()
        print(f"  {role:<11} brugernavn: {username:<10} adgangskode: {password}")
    return 0
