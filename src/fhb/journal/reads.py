"""The log of who looked up a citizen (:class:`~fhb.journal.models.JournalRead`): every opening of a
citizen's page or a visit's page (with how many journal notes it showed), of a letter to her, of an export
about her, and every showing of a protected address. The leader reads it on the log page, by citizen or
by user: it answers "who looked at this person"."""

from __future__ import annotations

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.journal.models import JournalRead

CITIZEN_PAGE = "borger"
VISIT_PAGE = "besøg"
LETTER = "brev"
ADDRESS = "beskyttet adresse"


def log_look_up(citizen: Citizen, user: User | None, page: str, *, notes: int = 0) -> None:
    """Log that ``user`` was shown ``citizen`` on ``page`` (and ``notes`` of her journal notes)."""
    JournalRead.objects.create(citizen=citizen, user=user, page=page[:40], notes=notes)
