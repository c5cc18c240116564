"""The front page: what the staff see first after logging in.

A consultant (or the dementia coordinator) sees her tasks by kind and the next ones due; a leader the
team's tasks by kind and by consultant, overdue ones counted; the administrator (IT) the extract's figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen, ImportRun
from fhb.offers.models import Assessment
from fhb.pages import worklist
from fhb.pages.worklist import At

#: How many of her next tasks a consultant sees on the front page.
NEXT_TASKS = 5


def _kinds(counts: dict[tuple[str, int | None], worklist.Tally]) -> list[tuple[str, worklist.Tally]]:
    return [(worklist.kind_label(kind), tally) for kind, tally in worklist.by_kind(counts).items()]


def _extract_figures(today: date) -> dict[str, Any]:
    citizens = Citizen.objects.in_extract()
    return {
        "citizen_count": citizens.count(),
        "alive_count": citizens.alive_on(today).count(),
        "last_import": ImportRun.objects.select_related("user").first(),
    }


def _assessment_figures(at: At) -> dict[str, Any]:
    """The plan year's assessments of need by outcome, and how many were decided by their deadline."""
    year = worklist.plan_year(at.today)
    rows = Assessment.objects.filter(year=year)
    by_outcome = dict(rows.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    decided = rows.exclude(outcome__in=(Assessment.Outcome.PENDING, Assessment.Outcome.CLOSED))
    return {
        "assessment_year": year,
        "assessment_outcomes": [
            (label, by_outcome[value]) for value, label in Assessment.Outcome.choices if by_outcome.get(value)
        ],
        "assessments_decided": decided.count(),
        "assessments_in_time": decided.filter(decided_on__lte=F("deadline")).count(),
    }


def _leader_figures(at: At) -> dict[str, Any]:
    counts = worklist.tally(worklist.Scope(kinds=frozenset(worklist.Kind.ALL), everyone=True), at)
    owners = worklist.by_owner(counts)
    names = worklist.owner_names(owners)
    people = sorted(
        ((names.get(owner, ""), tally) for owner, tally in owners.items() if owner is not None),
        key=lambda row: row[0],
    )
    return {
        "kinds": _kinds(counts),
        "total": sum(t.total for t in owners.values()),
        "overdue": sum(t.overdue for t in owners.values()),
        "people": people,
        "team": owners.get(None),
        **_assessment_figures(at),
    }


def _own_figures(user: User, at: At) -> dict[str, Any]:
    scope = worklist.scope_for(user)
    counts = worklist.tally(scope, at)
    return {
        "kinds": _kinds(counts),
        "overdue": sum(t.overdue for t in counts.values()),
        "next_tasks": worklist.next_tasks(scope, at, count=NEXT_TASKS),
    }


@role_required(*STAFF_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    at = At.current()
    context: dict[str, Any] = {"today": at.today}
    if user.is_superuser or user.role == Role.ADMIN:
        context.update(view="admin", **_extract_figures(at.today))
    elif user.role == Role.LEADER:
        context.update(view="leader", **_leader_figures(at))
    else:
        context.update(view="own", **_own_figures(user, at))
    return render(request, "pages/front.html", context)
