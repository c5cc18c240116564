"""The assessments of need, the referrals and the worklist's deadlines for the statistics dashboard.

Every count comes from rows that anonymisation keeps (assessments, requests and follow-ups keep their year,
group, trigger, source, dates and outcome), so a past year's figures stay the same when its citizens are
later anonymised.

- Assessments (:class:`~fhb.offers.models.Assessment`) are counted in their plan year (``year``). Decided
  means ended by a consultant: need found, no need, not reached or declined; one closed because the decision
  behind it fell away is not decided (it has no ``decided_on``). Decided in time: ``decided_on <= deadline``.
- Worklist throughput counts a task once, on the date it was done against its deadline: an assessment of
  the plan year (``decided_on`` against ``deadline``), a request received in the year that has a deadline
  (``decided_on`` against ``deadline``) and a follow-up of an offer of the plan year (``done_on`` against
  ``due``). An open task is overdue when its deadline lies before ``today``. Tasks that fell away (a closed
  assessment or follow-up) are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.db.models import Count, F, Q, QuerySet

from fhb.offers.models import Assessment, FollowUp, Request
from fhb.stats.figures import Filters

#: The outcomes of an assessment, as the figures name them: figure name -> stored outcome.
OUTCOMES = {
    "need": Assessment.Outcome.NEED,
    "no_need": Assessment.Outcome.NO_NEED,
    "not_reached": Assessment.Outcome.NOT_REACHED,
    "declined": Assessment.Outcome.DECLINED,
    "closed": Assessment.Outcome.CLOSED,
    "open": Assessment.Outcome.PENDING,
}
#: The outcomes a consultant decides (``decided_on`` is set); a closed assessment fell away.
DECIDED = (
    Assessment.Outcome.NEED,
    Assessment.Outcome.NO_NEED,
    Assessment.Outcome.NOT_REACHED,
    Assessment.Outcome.DECLINED,
)
#: The figures of one row of assessments: received, each outcome, and decided in time.
FIGURES = ("received", *OUTCOMES, "in_time")
#: The worklist's task kinds, in the order the throughput table lists them.
TASKS = ("assessments", "requests", "follow_ups")
#: The throughput figures of one task kind.
THROUGHPUT = ("on_time", "late", "overdue", "waiting")

#: A row's key: (group id, origin, the trigger's event kind for a run's assessment or the source of a
#: referral).
CaseKey = tuple[str, str, str]


def _assessments(filters: Filters) -> QuerySet[Assessment]:
    assessments = Assessment.objects.filter(year=filters.year)
    if filters.group:
        assessments = assessments.filter(group=filters.group)
    if filters.consultant_id is not None:
        assessments = assessments.filter(consultant_id=filters.consultant_id)
    return assessments


def _outcome_counts() -> dict[str, Count]:
    counts = {"received": Count("id")}
    counts.update({name: Count("id", filter=Q(outcome=outcome)) for name, outcome in OUTCOMES.items()})
    counts["in_time"] = Count(
        "id", filter=Q(outcome__in=DECIDED, decided_on__isnull=False, decided_on__lte=F("deadline"))
    )
    return counts


def assessments_by_case(filters: Filters) -> dict[CaseKey, dict[str, int]]:
    """Per (group, origin, trigger or source): the :data:`FIGURES` of the plan year's assessments."""
    # The counts' names come from a dict: the stubs see only the grouped fields' keys.
    rows = cast(
        Iterable[dict[str, Any]],
        _assessments(filters)
        .values("group", "origin", "trigger", "referred_by")
        .annotate(**_outcome_counts())
        .order_by(),
    )
    found: dict[CaseKey, dict[str, int]] = {}
    for row in rows:
        how = row["referred_by"] if row["origin"] == Assessment.Origin.REFERRAL else row["trigger"]
        figures = found.setdefault((row["group"], row["origin"], how), dict.fromkeys(FIGURES, 0))
        for name in FIGURES:
            figures[name] += row[name]
    return found


def referrals_by_source(filters: Filters) -> dict[str, dict[str, int]]:
    """Per source of a referral (``Assessment.ReferredBy`` value): the :data:`FIGURES` of the plan year's
    referrals."""
    rows = cast(
        Iterable[dict[str, Any]],
        _assessments(filters)
        .filter(origin=Assessment.Origin.REFERRAL)
        .values("referred_by")
        .annotate(**_outcome_counts())
        .order_by(),
    )
    return {row["referred_by"]: {name: row[name] for name in FIGURES} for row in rows}


def _throughput(tasks: QuerySet[Any], done: Q, on_time: Q, deadline: str, today: dt.date) -> dict[str, int]:
    waiting = Q(**{f"{deadline}__gte": today})
    counts: dict[str, int] = tasks.aggregate(
        on_time=Count("id", filter=done & on_time),
        late=Count("id", filter=done & ~on_time),
        overdue=Count("id", filter=~done & ~waiting),
        waiting=Count("id", filter=~done & waiting),
    )
    return counts


def throughput(year: int, today: dt.date) -> dict[str, dict[str, int]]:
    """Per task kind (:data:`TASKS`): done on time, done late, open past the deadline, open and not yet due
    (:data:`THROUGHPUT`), for the whole municipality."""
    assessments = Assessment.objects.filter(year=year).exclude(outcome=Assessment.Outcome.CLOSED)
    requests = Request.objects.filter(received__year=year, deadline__isnull=False)
    follow_ups = FollowUp.objects.filter(offer__year=year).exclude(status=FollowUp.Status.CLOSED)
    return {
        "assessments": _throughput(
            assessments,
            Q(outcome__in=DECIDED, decided_on__isnull=False),
            Q(decided_on__lte=F("deadline")),
            "deadline",
            today,
        ),
        "requests": _throughput(
            requests, Q(decided_on__isnull=False), Q(decided_on__lte=F("deadline")), "deadline", today
        ),
        "follow_ups": _throughput(
            follow_ups,
            Q(status=FollowUp.Status.DONE, done_on__isnull=False),
            Q(done_on__lte=F("due")),
            "due",
            today,
        ),
    }
