"""Writing a consultant's visit times safely when colleagues write at the same moment.

Two colleagues may offer the same consultant's time to two citizens on the phone at once. A booking, a
move or a plan run therefore checks and writes in one transaction that first locks the consultant's row
(and the offers' rows, :func:`lock_rows`), so the second waits for the first and then sees its visit. On
PostgreSQL an exclusion constraint (visits migration 0005, :data:`NO_OVERLAP`) also refuses two planned
visits of one consultant at once, whatever wrote them; a write it stops becomes :class:`BookingError` with
:func:`taken_meanwhile`. SQLite (the demo) has no such constraint; its immediate transactions hold the
database's only write lock, which serializes bookings just the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from fhb.offers.models import Offer
from fhb.planning.models import Consultant

NO_OVERLAP = "visit_consultant_no_overlap"
"""PostgreSQL's exclusion constraint: no two planned visits of one consultant overlap (checked at commit)."""


class BookingError(Exception):
    """The time cannot be used. ``problems`` says why, in Danish, one sentence each."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


def taken_meanwhile() -> str:
    """What the user is told when the database refused the time: someone else took it a moment ago."""
    return _("Tiden er netop blevet booket af en anden. Vælg en anden tid.")


def violated_constraint(error: IntegrityError) -> str:
    """The name of the constraint behind ``error`` (PostgreSQL says it; empty when unknown)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


@contextmanager
def one_consultant_time() -> Iterator[None]:
    """A transaction (or savepoint) for writing a consultant's visit time: PostgreSQL checks
    :data:`NO_OVERLAP` before it ends (not at the outer commit, which may be a request's or a test's), and a
    refusal becomes :class:`BookingError`. Lock the rows the booking depends on first thing inside
    (:func:`lock_rows`)."""
    try:
        with transaction.atomic():
            yield
            if connection.vendor == "postgresql":
                check_no_overlap_now()
    except IntegrityError as error:
        if violated_constraint(error) != NO_OVERLAP:
            raise
        raise BookingError(taken_meanwhile()) from error


def check_no_overlap_now() -> None:
    """Check :data:`NO_OVERLAP` for the rows written so far in this transaction, then defer it again. A
    colleague's overlapping write not yet committed makes this wait for her commit (then refuse) or her
    rollback (then pass)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {NO_OVERLAP} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {NO_OVERLAP} DEFERRED")


def lock_rows(consultant: Consultant, offers: Sequence[Offer] = ()) -> None:
    """Hold the consultant's row and the offers' rows until the transaction ends, so a booking or move for
    the same consultant or offer waits here and then sees what the other wrote. Offers in id order, so two
    bookings for a couple's two offers cannot lock each other out. (SQLite ignores the row locks: its
    immediate transaction already holds the only write lock.)"""
    list(Consultant.objects.select_for_update().filter(pk=consultant.pk).values_list("pk", flat=True))
    if offers:
        pks = sorted(o.pk for o in offers)
        list(Offer.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))
