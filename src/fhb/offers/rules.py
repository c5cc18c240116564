"""Who may act on an assessment of need (the ``rules`` package), in one place.

- ``decide`` (record a try, need found, no need, declined): the assessment's own consultant, a leader, or
  any consultant when no one has been given it yet.
- ``reassign``: a leader, or the assessment's own consultant (handing it on).

A ``None`` user is fhb itself (a command, the demo): the rules bind people, not the system.
"""

from __future__ import annotations

from typing import Literal

from rules.predicates import Predicate

from fhb.accounts.models import Role, User
from fhb.offers.models import Assessment

Action = Literal["decide", "reassign"]


def _is_leader(user: User) -> bool:
    return user.has_role(Role.LEADER)


def _is_its_consultant(user: User, assessment: Assessment) -> bool:
    return assessment.consultant_id is not None and assessment.consultant_id == user.pk and user.is_active


def _is_unassigned_and_a_consultant(user: User, assessment: Assessment) -> bool:
    return assessment.consultant_id is None and user.has_role(Role.CONSULTANT)


is_leader = Predicate(_is_leader)
is_its_consultant = Predicate(_is_its_consultant)
is_free_for_a_consultant = Predicate(_is_unassigned_and_a_consultant)

ASSESSMENT_RULES: dict[Action, Predicate] = {
    "decide": is_its_consultant | is_leader | is_free_for_a_consultant,
    "reassign": is_its_consultant | is_leader,
}


def may(user: User | None, action: Action, assessment: Assessment) -> bool:
    """``user`` may do ``action`` to ``assessment`` (``None``: fhb itself)."""
    return user is None or ASSESSMENT_RULES[action].test(user, assessment)
