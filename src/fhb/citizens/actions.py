"""The population's workflow: import an extract, all or nothing."""

from __future__ import annotations

from django.db import transaction

from fhb.accounts.models import User
from fhb.action_log import actor, log_after_commit
from fhb.citizens.importer import ImportFile, apply_extract, parse_extract
from fhb.citizens.models import ImportRun


def import_extract(
    citizens: ImportFile, events: ImportFile | None = None, *, user: User | None = None
) -> ImportRun:
    """Import an extract all or nothing and return the stored :class:`ImportRun` with its summary.

    The files are parsed before the transaction begins; what changed is stored in one durable transaction,
    together with what other apps do about it (the ``extract_applied`` signal: a death or a move away
    closes the citizen's offers). Raises :class:`fhb.core.population.model.InvalidInput` (nothing stored)
    when a file has problems.
    """
    population = parse_extract(citizens, events)
    with transaction.atomic(durable=True):
        run = apply_extract(population, citizens, events, user=user)
        counts = run.summary["counts"]
        log_after_commit(
            "Indlæsning %s (%s) af %s: %s borgere; %s nye, %s døde, %s ikke længere i udtrækket",
            run.pk,
            citizens.name,
            actor(user),
            run.summary["total_citizens"],
            counts["new"],
            counts["died"],
            counts["gone"],
        )
    return run
