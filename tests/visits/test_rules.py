"""The object rules of fhb.visits.rules: one test per rule, each asked for every role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fhb.accounts.models import User
from fhb.visits.models import Visit
from fhb.visits.rules import Action, may

pytestmark = pytest.mark.django_db

ROLES = ["consultant", "dementia_coordinator", "leader", "admin"]


@pytest.fixture
def people(make_user: Any) -> dict[str, User]:
    """The visit's own consultant, and one user of each role who is not."""
    found = {role: make_user(role) for role in ROLES}
    found["own"] = make_user("consultant", "egen")
    return found


@pytest.fixture
def visit(people: dict[str, User]) -> Visit:
    start = timezone.now() + dt.timedelta(hours=1)
    return Visit.objects.create(start=start, end=start + dt.timedelta(hours=1), consultant=people["own"])


def allowed(action: Action, people: dict[str, User], visit: Visit) -> set[str]:
    return {name for name, user in people.items() if may(user, action, visit)}


@pytest.mark.parametrize("action", ["record_outcome", "write_note", "move", "reassign"])
def test_the_visits_own_consultant_and_leaders_act_on_a_visit(
    action: Action, people: dict[str, User], visit: Visit
) -> None:
    assert allowed(action, people, visit) == {"own", "leader", "admin"}, (
        "another consultant and the dementia coordinator may not act on a colleague's visit"
    )


def test_only_the_visits_own_consultant_sees_a_protected_address_while_it_is_planned(
    people: dict[str, User], visit: Visit
) -> None:
    assert allowed("see_protected_address", people, visit) == {"own"}, "not a leader, not an administrator"
    visit.status = Visit.Status.HELD
    assert allowed("see_protected_address", people, visit) == set(), "once held, nobody"


def test_an_inactive_consultant_acts_on_nothing(people: dict[str, User], visit: Visit) -> None:
    people["own"].is_active = False
    assert not may(people["own"], "record_outcome", visit)
    assert not may(people["own"], "see_protected_address", visit)


def test_fhb_itself_acts_but_sees_no_address(visit: Visit) -> None:
    assert may(None, "record_outcome", visit) and may(None, "move", visit)
    assert not may(None, "see_protected_address", visit)


def test_a_visit_without_a_consultant_is_a_leaders(people: dict[str, User], visit: Visit) -> None:
    visit.consultant = None
    assert allowed("record_outcome", people, visit) == {"leader", "admin"}
    assert allowed("see_protected_address", people, visit) == set()
