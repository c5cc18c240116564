"""The population's workflows: import an extract (all or nothing, with a brake), and a leader's decision
to keep waiting for a citizen missing from the extract."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.action_log import actor, log_after_commit
from fhb.citizens.importer import ImportFile, apply_extract, compare_with_stored, parse_extract
from fhb.citizens.models import Citizen, ImportRun
from fhb.citizens.preview import TooManyGone, build_preview, gone_share_exceeds, max_gone_percent
from fhb.history import save_with_reason


class StillInExtract(Exception):
    """A decision about a citizen missing from the extract, for a citizen who is in it (again)."""


def import_extract(
    citizens: ImportFile,
    events: ImportFile | None = None,
    *,
    user: User | None = None,
    force: bool = False,
    confirmed_gone: int | None = None,
    today: date | None = None,
) -> ImportRun:
    """Import an extract all or nothing and return the stored :class:`ImportRun` with its summary.

    The files are parsed before the transaction begins; the comparison with the stored population and
    what changed are made and stored in one durable transaction, together with what other apps do about
    it (the ``extract_applied`` signal: a death the extract states closes the citizen's offers and
    cancels her planned visits; a citizen missing from the extract keeps them, marked for a leader).

    **The brake.** When more than ``FHB_IMPORT_MAX_GONE_PERCENT`` of the latest extract's citizens would be
    gone, raises :class:`fhb.citizens.preview.TooManyGone` (carrying the preview; nothing stored) unless
    ``force``, or unless ``confirmed_gone`` equals the number that would be gone (the number a person typed
    after reading the preview: a different number, e.g. because another import came in between, is
    refused the same way). ``today``: the day planned visits count from in the preview (default today).

    Raises :class:`fhb.core.population.model.InvalidInput` (nothing stored) when a file has problems.
    """
    population = parse_extract(citizens, events)
    events_given = events is not None
    with transaction.atomic(durable=True):
        comparison = compare_with_stored(population, events_given=events_given)
        gone = len(comparison.changes.gone_cprs)
        limit = max_gone_percent()
        tripped = gone_share_exceeds(gone, comparison.stored_in_extract, limit)
        released = force or (confirmed_gone is not None and confirmed_gone == gone)
        if tripped and not released:
            preview = build_preview(
                comparison, population, events_given=events_given, today=today or timezone.localdate()
            )
            raise TooManyGone(preview, limit)  # nothing has been written: the transaction ends empty
        run = apply_extract(population, citizens, events, user=user, changes=comparison.changes)
        counts = run.summary["counts"]
        log_after_commit(
            "Indlæsning %s (%s) af %s: %s borgere; %s nye, %s døde, %s ikke længere i udtrækket%s",
            run.pk,
            citizens.name,
            actor(user),
            run.summary["total_citizens"],
            counts["new"],
            counts["died"],
            counts["gone"],
            " (over grænsen, bekræftet)" if tripped else "",
        )
    return run


@transaction.atomic(durable=True)
def keep_waiting(citizen: Citizen, *, user: User, today: date, note: str = "") -> None:
    """The leader's decision for a citizen missing from the latest extract: keep her planned visits and
    open offers and wait for the next extract (``note``: why, kept on the citizen). Raises
    :class:`StillInExtract` when she is in it."""
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if citizen.in_extract:
        raise StillInExtract(
            _("%(name)s er med i seneste udtræk igen; der er intet at beslutte.") % {"name": citizen.name}
        )
    citizen.missing_kept_on, citizen.missing_kept_by, citizen.missing_note = today, user, note.strip()
    citizen._history_user = user  # type: ignore[attr-defined]  # simple-history's documented hook
    save_with_reason(
        citizen,
        "Ikke i udtrækket: lederen venter på næste udtræk",
        update_fields=["missing_kept_on", "missing_kept_by", "missing_note"],
    )
    log_after_commit("Borger %s ikke i udtrækket: %s venter på næste udtræk", citizen.pk, actor(user))
