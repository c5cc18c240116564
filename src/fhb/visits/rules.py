"""Who may do what to a visit: the object-level rules, in one place (the ``rules`` package).

A role says which pages a user may open (:func:`fhb.accounts.access.role_required`); these rules say which
visits she may act on there. Every view and action that acts on a visit asks :func:`may`:

- ``record_outcome``, ``write_note`` and ``move``: the visit's own consultant, or a leader (an
  administrator holds every role). A consultant acts on her own visits only.
- ``reassign`` (give the visit to another consultant): a leader, or the visit's own consultant, who must
  then say why (:func:`fhb.planning.actions.move_visit`); who, when, from and to are kept on the visit.
- ``see_protected_address``: only the consultant assigned to the visit while it is planned (she is going
  there), and no one else, a leader or an administrator neither (docs/operations.md, "Protection").

A ``None`` user is fhb itself (a command, the demo, a job): the rules bind people, not the system.
``tests/visits/test_rules.py`` tests each rule for each role.
"""

from __future__ import annotations

from typing import Literal

from rules.predicates import Predicate

from fhb.accounts.models import Role, User
from fhb.visits.models import Visit

Action = Literal["record_outcome", "write_note", "move", "reassign", "see_protected_address"]


def _is_leader(user: User) -> bool:
    return user.has_role(Role.LEADER)


def _is_the_visits_consultant(user: User, visit: Visit) -> bool:
    return visit.consultant_id is not None and visit.consultant_id == user.pk and user.is_active


def _is_planned(user: User, visit: Visit) -> bool:
    return visit.status == Visit.Status.PLANNED


is_leader = Predicate(_is_leader)
is_the_visits_consultant = Predicate(_is_the_visits_consultant)
is_planned = Predicate(_is_planned)

#: The rules, by action: predicates of (user, visit), combined with the ``rules`` package's & and |.
VISIT_RULES: dict[Action, Predicate] = {
    "record_outcome": is_the_visits_consultant | is_leader,
    "write_note": is_the_visits_consultant | is_leader,
    "move": is_the_visits_consultant | is_leader,
    "reassign": is_the_visits_consultant | is_leader,
    "see_protected_address": is_planned & is_the_visits_consultant,
}


def may(user: User | None, action: Action, visit: Visit) -> bool:
    """``user`` may do ``action`` to ``visit`` (``None``: fhb itself, which may act but sees no address)."""
    if user is None:
        return action != "see_protected_address"
    return VISIT_RULES[action].test(user, visit)
