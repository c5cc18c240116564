"""One log line per workflow that changed something, written only once its transaction has committed.

The history rows (django-simple-history) are the audit inside the database; these lines are for the
people who run fhb: what was done, when, by which user, and nothing for work that was rolled back. They
name rows by their ids and users by their user names, never a citizen's name, CPR number or address.
"""

from __future__ import annotations

import logging
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

log = logging.getLogger("fhb.actions")


def log_after_commit(message: str, *args: object) -> None:
    """Log ``message % args`` (INFO, logger ``fhb.actions``) when the current transaction commits."""
    transaction.on_commit(partial(log.info, message, *args))


def actor(user: AbstractBaseUser | None) -> str:
    """Who did it, for a log line: the user name, or "systemet" (a command, the demo, a job)."""
    return user.get_username() if user is not None else "systemet"
