"""Assessments of need (vurderinger): made from a run's ``assess`` decisions, or from a referral.

A run's decision ``assess`` (a by-need trigger) becomes an :class:`~fhb.offers.models.Assessment` the first
time it is stored; a consultant is given it (the citizen's consultant at her latest visit, else the one
with the fewest open assessments), with the deadline of :func:`fhb.core.assessment_deadline`. The same
event seen by the runs of two plan years (a loss in December opens a window into January) is one case.
The actions that end an assessment are in :mod:`fhb.offers.actions`; this module holds the rules they
share with the runs and the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen
from fhb.core.assessment_deadline import assessment_deadline
from fhb.core.standard.schema import QualityStandard, TargetGroup
from fhb.offers.models import Assessment, Offer


class AssessmentError(Exception):
    """The assessment cannot be registered or decided as asked; the message says why, in Danish."""


def referral_groups(standard: QualityStandard) -> list[TargetGroup]:
    """The groups a citizen may be referred to: those reached by need (only by referral, an assessment, or a
    trigger)."""
    return [
        group
        for group in standard.groups
        if group.referral_only or group.decision == "assess" or group.triggers
    ]


def offer_letter_kind(assessment: Assessment, standard: QualityStandard) -> tuple[str, str]:
    """The letter and response the group's offer takes (the trigger's, else the group's); empty when the
    standard leaves it to the consultant (Ishøj's special needs: "efter en individuel vurdering")."""
    try:
        group = standard.group(assessment.group)
    except KeyError:
        return "", ""
    trigger = next((t for t in group.triggers if t.event == assessment.trigger), None)
    letter = (trigger.letter if trigger is not None else None) or group.letter or ""
    return letter, group.response or ""


def previous_consultants(citizen_ids: Iterable[int]) -> dict[int, int]:
    """Each citizen's consultant at her latest held visit (the planner prefers her too)."""
    # Visits live above offers in the layers: their fields are read through the relation's name.
    out: dict[int, int] = {}
    held = (
        Offer.objects.filter(
            citizen_id__in=list(citizen_ids), visits__status="held", visits__consultant__isnull=False
        )
        .order_by("visits__start")
        .values_list("citizen_id", "visits__consultant_id")
    )
    for citizen_id, consultant_id in held:
        out[citizen_id] = consultant_id
    return out


def choose_consultants(citizen_ids: Iterable[int]) -> dict[int, int | None]:
    """Who is given each citizen's assessment: her consultant at her latest held visit if still active,
    else the active consultant with the fewest open assessments (spread as they are given)."""
    ids = list(citizen_ids)
    active = list(
        User.objects.filter(is_active=True, role=Role.CONSULTANT)
        .annotate(open=Count("assessments", filter=Q(assessments__outcome=Assessment.Outcome.PENDING)))
        .order_by("open", "pk")
        .values_list("pk", "open")
    )
    load = dict(active)
    previous = {c: pk for c, pk in previous_consultants(ids).items() if pk in load}
    chosen: dict[int, int | None] = {}
    for citizen_id in ids:
        pick = previous.get(citizen_id)
        if pick is None and load:
            pick = min(load, key=lambda pk: (load[pk], pk))
        if pick is not None:
            load[pick] = load.get(pick, 0) + 1
        chosen[citizen_id] = pick
    return chosen


def assessments_from_run(
    year: int, on: date, standard: QualityStandard, user: User | None
) -> list[Assessment]:
    """Make an assessment for each active ``assess`` decision of the plan year that has none; one whose
    event already has an assessment (from the run of another plan year) is linked to nothing new. An
    assessment closed because its decision fell away opens again when a later run decides it again."""
    Assessment.objects.filter(
        decision__year=year,
        decision__status=Offer.Status.ACTIVE,
        decision__decision=Offer.Decision.ASSESS,
        outcome=Assessment.Outcome.CLOSED,
    ).update(outcome=Assessment.Outcome.PENDING, outcome_reason="")
    waiting = list(
        Offer.objects.filter(
            year=year,
            origin=Offer.Origin.RUN,
            decision=Offer.Decision.ASSESS,
            status=Offer.Status.ACTIVE,
            assessment__isnull=True,
        ).select_related("citizen")
    )
    if not waiting:
        return []
    known = set(
        Assessment.objects.filter(
            origin=Assessment.Origin.RUN, citizen_id__in=[o.citizen_id for o in waiting]
        ).values_list("citizen_id", "group", "trigger", "event_date")
    )
    consultants = choose_consultants({o.citizen_id for o in waiting})
    made = []
    for offer in waiting:
        if (offer.citizen_id, offer.group, offer.trigger, offer.trigger_date) in known:
            continue
        made.append(
            Assessment(
                citizen_id=offer.citizen_id,
                year=offer.year,
                group=offer.group,
                trigger=offer.trigger,
                what=offer.reason[:300],
                event_date=offer.trigger_date,
                known_on=on,
                deadline=assessment_deadline(on, offer.due_from, offer.due_to, standard.deadlines),
                due_to=offer.due_to,
                origin=Assessment.Origin.RUN,
                decision=offer,
                consultant_id=consultants[offer.citizen_id],
                created_by=user,
            )
        )
    if not made:
        return []
    created: list[Assessment] = bulk_create_with_history(
        made, Assessment, batch_size=2000, default_user=user, default_change_reason=_("Oprettet af kørslen")
    )
    return created


def referral_window(known_on: date, standard: QualityStandard) -> tuple[date, date]:
    """A referral's window: from the day it was received for the standard's by-need weeks."""
    return known_on, known_on + timedelta(weeks=standard.deadlines.by_need_weeks)


def referral_age_problem(citizen: Citizen, group: TargetGroup, on: date) -> str:
    """Why the citizen's age keeps her out of the group (empty when it does not)."""
    age = group.age
    years = citizen.age_on(on)
    if age is None or age.kind != "between":
        return ""
    if years < age.lower_years or (age.max_years is not None and years > age.max_years):
        upper = f"–{age.max_years}" if age.max_years is not None else " og derover"
        return _("%(name)s er %(years)s år; målgruppen er for borgere på %(lower)s%(upper)s år.") % {
            "name": citizen.name,
            "years": years,
            "lower": age.lower_years,
            "upper": upper,
        }
    return ""
