"""``fhb check [--json]``: configuration and health check for monitoring.

Checks the database answers, every migration is applied, the municipality's quality standard loads,
production settings are safe, and the latest import and eligibility run are recent. Exit 0 when all
checks pass, 1 when one fails (warnings alone keep 0), 2 when the configuration cannot even load.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal

from fhb.commands import django_setup
from fhb.core.standard.approval import approved_on

help = "Check configuration and health (database, migrations, standard file, data freshness)."

Status = Literal["ok", "warning", "error"]
STALE_IMPORT = timedelta(days=8)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the checks as JSON (for monitoring)")


def run(args: argparse.Namespace) -> int:
    try:
        django_setup()
    except Exception as error:  # settings that do not load: nothing else can be checked
        print(f"fhb check: indstillingerne kan ikke indlæses: {error}", file=sys.stderr)
        return 2
    checks = run_checks()
    if args.json:
        print(json.dumps([asdict(c) for c in checks], ensure_ascii=False, indent=2))
    else:
        for check in checks:
            print(f"[{check.status:<7}] {check.name}: {check.detail}")
    return 1 if any(c.status == "error" for c in checks) else 0


def run_checks() -> list[Check]:
    checks = [_database()]
    if checks[0].status == "error":
        return checks
    checks += [_migrations(), _standard(), _letter_templates(), _settings(), *_freshness(), _worker()]
    return checks


def _database() -> Check:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return Check("database", "error", f"databasen svarer ikke: {error}")
    return Check("database", "ok", f"{connection.vendor} svarer")


def _migrations() -> Check:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        return Check(
            "migrations", "error", f"{len(pending)} migrering(er) mangler: {names} (kør fhb migrate)"
        )
    return Check("migrations", "ok", "alle migreringer er kørt")


def _standard() -> Check:
    from django.conf import settings

    from fhb.core.standard.loader import load_standard

    try:
        standard = load_standard(settings.FHB_STANDARD)
    except Exception as error:
        return Check(
            "standard", "error", f"kvalitetsstandarden {settings.FHB_STANDARD!r} er ugyldig: {error}"
        )
    approved = approved_on(standard.approval)
    return Check("standard", "ok", f"{standard.municipality.name}, godkendt {approved}")


def _letter_templates() -> Check:
    """The municipality's own letter templates (``FHB_LETTER_TEMPLATES`` or the standard's ``[letters]
    templates``): every template compiles, and every file name is a letter kind."""
    from django.conf import settings

    from fhb.core.letters.template_folder import own_templates, template_folder_problems
    from fhb.core.standard.loader import load_standard

    try:
        standard = load_standard(settings.FHB_STANDARD)
    except Exception:
        return Check("letter templates", "error", "kvalitetsstandarden kan ikke indlæses (se standard)")
    given = settings.FHB_LETTER_TEMPLATES or standard.letters.templates
    if not given:
        return Check("letter templates", "ok", "de medfølgende brevskabeloner (ingen egen mappe)")
    folder = Path(given).resolve()
    name = settings.FHB_STANDARD
    from_standard = not settings.FHB_LETTER_TEMPLATES and ("/" in name or name.endswith(".toml"))
    base = Path(name).resolve().parent if from_standard else None
    problems = template_folder_problems(folder, standard.id, base=base)
    if problems:
        listed = "; ".join(str(problem) for problem in problems)
        return Check("letter templates", "error", f"brevskabelonerne i {folder} kan ikke bruges: {listed}")
    count = len(own_templates(folder))
    return Check("letter templates", "ok", f"{count} egne brevskabeloner i {folder}, alle kan oversættes")


def _settings() -> Check:
    from django.conf import settings

    if settings.DEBUG:
        return Check("settings", "warning", "FHB_DEBUG er slået til (demo); slå det fra i produktion")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return Check("settings", "warning", "produktion på SQLite: brug PostgreSQL (DATABASE_URL)")
    return Check("settings", "ok", "produktionsindstillinger")


def _freshness() -> list[Check]:
    from django.utils import timezone

    from fhb.citizens.models import ImportRun
    from fhb.offers.models import EligibilityRun

    now = timezone.now()
    checks = []
    last_import = ImportRun.objects.order_by("-started_at").first()
    if last_import is None:
        checks.append(Check("import", "warning", "intet udtræk er indlæst endnu"))
    else:
        age = now - last_import.started_at
        status: Status = "warning" if age > STALE_IMPORT else "ok"
        checks.append(Check("import", status, f"seneste indlæsning {last_import.started_at:%Y-%m-%d %H:%M}"))
    last_run = EligibilityRun.objects.order_by("-started_at").first()
    if last_run is None:
        checks.append(Check("eligibility", "warning", "ingen kørsel af kvalitetsstandarden endnu"))
    else:
        checks.append(Check("eligibility", "ok", f"seneste kørsel {last_run.started_at:%Y-%m-%d %H:%M}"))
    return checks


def _worker() -> Check:
    """Whether an ``fhb worker`` has been seen lately: without one, jobs and letters wait."""
    from django.utils import timezone

    from fhb.jobs.models import Job
    from fhb.jobs.worker import GONE_AFTER, last_seen

    seen = last_seen()
    queued = Job.objects.filter(state=Job.State.QUEUED).count()
    waiting = f"; {queued} job i kø" if queued else ""
    if seen is None or timezone.now() - seen > GONE_AFTER:
        when = "aldrig" if seen is None else f"sidst {timezone.localtime(seen):%Y-%m-%d %H:%M}"
        return Check("worker", "warning", f"ingen fhb worker set ({when}): job og breve venter{waiting}")
    return Check("worker", "ok", f"fhb worker set {timezone.localtime(seen):%H:%M:%S}{waiting}")
