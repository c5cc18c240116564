"""Times set by a person: move a planned visit, find free times for an offer and book one.

Both keep to the consultant's working time as the core calendar reads it (her weekdays and hours, less
public holidays, closing days and absences, inside the standard's visiting hours) and never put two of her
visits on top of each other. A time set here has been agreed by a person, so the visit is ``fixed``: the
planner never moves it again. Times are aware datetimes here; the core gets naive local ones.

Two colleagues may write the same consultant's time at once: :mod:`fhb.planning.locks` says how that is
kept safe. The workflows that write (book, move, set a time by hand, answer with a new time) are in
:mod:`fhb.planning.actions`; this module holds the checks and look-ups they share with the pages.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fhb.core.planning.calendar import Shift, closed_days, consultant_shifts, public_holidays
from fhb.core.planning.slots import AFTERNOON, MORNING, Booked, free_slots
from fhb.core.planning.travel import Point
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.local_time import aware, day_bounds, naive_local
from fhb.offers.models import Offer
from fhb.planning.calendars import (
    BUSY,
    closing_days,
    core_consultant,
    core_consultants,
    travel_times,
    visit_minutes,
    visiting_hours,
)
from fhb.planning.locks import BookingError, one_consultant_time
from fhb.planning.models import WEEKDAY_NAMES, Consultant
from fhb.visits.models import Visit

SLOT_WEEKS = 8
"""Free times are looked for at most this many weeks ahead."""


def clock(when: dt.time | dt.datetime) -> str:
    """Danish clock time: 9.30, 15.00."""
    return f"{when.hour}.{when.minute:02d}"


def daydate(day: dt.date | dt.datetime) -> str:
    """Danish short date with leading zeros, as in the tables: 06.05.2027."""
    return f"{day:%d.%m.%Y}"


def shifts_on(consultant: Consultant, day: dt.date, standard: QualityStandard) -> list[Shift]:
    """The consultant's shifts on ``day`` (none on a holiday, closing day, day off or whole-day absence)."""
    since, until = day_bounds(day, day)
    absences = consultant.absences.filter(start__lt=until, end__gt=since)
    core = core_consultant(consultant, absences)
    return consultant_shifts(
        consultant.user_id,
        core.pattern,
        day,
        day,
        closed=closed_days(day, day, closing_days(day, day)),
        absences=core.absences,
        visiting_hours=visiting_hours(standard),
    )


def _off_shift(
    consultant: Consultant, start: dt.datetime, end: dt.datetime, standard: QualityStandard
) -> str:
    """Why [start, end] (naive local) lies outside the consultant's working time, as plainly as we can."""
    day = start.date()
    holiday = public_holidays(day, day).get(day)
    if holiday:
        return _("Den %(day)s er en helligdag (%(name)s).") % {"day": daydate(day), "name": holiday}
    closing = closing_days(day, day)
    if closing:
        return _("Kommunen holder lukket den %(day)s (%(reason)s).") % {
            "day": daydate(day),
            "reason": closing[0].reason,
        }
    if day.weekday() not in consultant.weekday_numbers():
        return _("%(name)s arbejder ikke om %(weekday)sen.") % {
            "name": consultant,
            "weekday": WEEKDAY_NAMES[day.weekday()],
        }
    for absence in consultant.absences.filter(start__lt=aware(end), end__gt=aware(start)):
        return _("%(name)s er fraværende (%(kind)s) fra %(start)s til %(end)s.") % {
            "name": consultant,
            "kind": absence.get_kind_display().lower(),
            "start": f"{daydate(naive_local(absence.start))} kl. {clock(naive_local(absence.start))}",
            "end": f"{daydate(naive_local(absence.end))} kl. {clock(naive_local(absence.end))}",
        }
    hours = visiting_hours(standard)
    if hours is not None and (
        day.weekday() not in hours.weekdays or start.time() < hours.start or end.time() > hours.end
    ):
        return _("Tidspunktet ligger uden for kvalitetsstandardens besøgstid (%(start)s–%(end)s).") % {
            "start": clock(hours.start),
            "end": clock(hours.end),
        }
    return _("Tidspunktet ligger uden for arbejdstiden for %(name)s (%(start)s–%(end)s).") % {
        "name": consultant,
        "start": clock(consultant.day_start),
        "end": clock(consultant.day_end),
    }


def time_problems(
    consultant: Consultant,
    start: dt.datetime,
    end: dt.datetime,
    *,
    standard: QualityStandard,
    exclude: Visit | None = None,
) -> list[str]:
    """What stops the consultant from holding a visit from ``start`` to ``end`` (aware); empty: nothing.

    The visit must lie inside one of her shifts that day (the core calendar's reading of her working time)
    and must not overlap another of her visits that is planned or took place (``exclude``: the visit being
    moved): a move may go back to today, where a visit may already be held.
    """
    problems = []
    if not consultant.active:
        problems.append(_("%(name)s er ikke aktiv i planlægningen.") % {"name": consultant})
    start_local, end_local = naive_local(start), naive_local(end)
    if start_local.date() != end_local.date():
        problems.append(_("Besøget skal begynde og slutte samme dag."))
    elif not any(
        s.start <= start_local and end_local <= s.end
        for s in shifts_on(consultant, start_local.date(), standard)
    ):
        problems.append(_off_shift(consultant, start_local, end_local, standard))
    problems += overlap_problems(consultant.user_id, start, end, exclude=exclude, name=str(consultant))
    return problems


def overlap_problems(
    user_id: int, start: dt.datetime, end: dt.datetime, *, exclude: Visit | None = None, name: str = ""
) -> list[str]:
    """The user's visits (planned or taken place) that overlap ``start``-``end``, one sentence each."""
    others = Visit.objects.filter(status__in=BUSY, consultant_id=user_id, start__lt=end, end__gt=start)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    name = name or _("konsulenten")
    return [
        _("Tidspunktet overlapper et andet besøg hos %(name)s kl. %(start)s–%(end)s.")
        % {"name": name, "start": clock(naive_local(other.start)), "end": clock(naive_local(other.end))}
        for other in others
    ]


def hand_set_time(visit: Visit, offers: Sequence[Offer] = (), *, reason: str) -> Visit:
    """Save ``visit`` (new or with a new time), set by a person for its consultant, refusing a time that
    overlaps another of the consultant's visits (:class:`BookingError`; on PostgreSQL the database's
    :data:`~fhb.planning.locks.NO_OVERLAP` also refuses one written at the same moment by someone else).
    ``reason`` goes on the visit's history row."""
    if visit.consultant_id is not None:
        problems = overlap_problems(visit.consultant_id, visit.start, visit.end, exclude=visit)
        if problems:
            raise BookingError(*problems)
    with one_consultant_time():
        save_with_reason(visit, reason)
        if offers:
            visit.offers.add(*offers)
    return visit


def waiting_partner(offer: Offer) -> Offer | None:
    """The spouse's offer of the same year at the same address, when it too waits for a visit.

    It waits when it is open, has no visit planned, held or met by a closed door, and either carries a time
    (the citizen expects one) or the spouse has said yes.
    """
    if not offer.couple_cpr:
        return None
    partner = (
        Offer.objects.filter(
            citizen__cpr=offer.couple_cpr,
            citizen__dwelling_id=offer.citizen.dwelling_id,
            year=offer.year,
            status=Offer.Status.ACTIVE,
            decision=Offer.Decision.OFFER,
        )
        .exclude(pk=offer.pk)
        .exclude(reply__in=(Offer.Reply.NO, Offer.Reply.NEVER_AGAIN))
        .exclude(visits__status__in=BUSY)
        .select_related("citizen__dwelling")
        .first()
    )
    if partner is None:
        return None
    if partner.letter == Offer.Letter.WITH_TIME or partner.reply in (Offer.Reply.YES, Offer.Reply.OTHER_TIME):
        return partner
    return None


@dataclass(frozen=True, slots=True)
class SlotChoice:
    consultant: Consultant
    start: dt.datetime
    end: dt.datetime
    extra_driving_min: int


@dataclass(frozen=True, slots=True)
class SlotSearch:
    """What the slots page shows: the offers the visit is for, the period searched and the best times."""

    offers: list[Offer]
    first: dt.date
    last: dt.date
    duration_min: int
    slots: list[SlotChoice]
    problem: str = ""
    """Why no times were looked for (Danish); empty when they were."""

    @property
    def by_day(self) -> list[tuple[dt.date, list[SlotChoice]]]:
        """The slots by day, days and times in order (as the caller hears them)."""
        days: dict[dt.date, list[SlotChoice]] = {}
        for slot in sorted(self.slots, key=lambda s: (s.start, s.consultant.user_id)):
            days.setdefault(naive_local(slot.start).date(), []).append(slot)
        return list(days.items())

    @property
    def least_driving_min(self) -> int | None:
        """The least extra driving of the slots, when they differ (else there is nothing to point out)."""
        driving = {s.extra_driving_min for s in self.slots}
        return min(driving) if len(driving) > 1 else None


def slot_window(offer: Offer, today: dt.date) -> tuple[dt.date, dt.date]:
    """From tomorrow (or the offer's first day, if later) to the offer's last day, at most 8 weeks."""
    first = max(today + dt.timedelta(days=1), offer.due_from)
    return first, min(offer.due_to, first + dt.timedelta(weeks=SLOT_WEEKS) - dt.timedelta(days=1))


def not_bookable(offer: Offer) -> str:
    if not offer.is_open:
        return _("Tilbuddet er ikke åbent.")
    if offer.visits.filter(status__in=BUSY).exists():
        return _("Tilbuddet har allerede et besøg.")
    return ""


def booked_visits(first: dt.date, last: dt.date) -> list[Booked]:
    """The planned visits of active consultants from ``first`` to ``last``, as the core's bookings.

    A visit whose home has no coordinates still takes its time; it is placed at the consultant's start
    place, which underestimates the driving around it.
    """
    since, until = day_bounds(first, last)
    visits = (
        Visit.objects.open()
        .filter(consultant__planning__active=True, start__gte=since, start__lt=until)
        .select_related("consultant__planning")
        .prefetch_related("offers__citizen__dwelling")
    )
    out = []
    for visit in visits:
        offers = list(visit.offers.all())
        planning = visit.consultant.planning  # type: ignore[union-attr]
        point = (offers[0].citizen.dwelling.point if offers else None) or planning.base
        out.append(Booked(planning.user_id, point, naive_local(visit.start), naive_local(visit.end)))
    return out


def slot_weeks(offer: Offer, today: dt.date) -> list[dt.date]:
    """The Mondays of the weeks a slot for ``offer`` may be booked in (see :func:`slot_window`)."""
    first, last = slot_window(offer, today)
    monday = first - dt.timedelta(days=first.weekday())
    return [monday + dt.timedelta(weeks=i) for i in range(max(0, (last - monday).days // 7 + 1))]


@dataclass(frozen=True, slots=True)
class SlotWish:
    """What the caller asks for; ``None`` (or empty) is any."""

    week: dt.date | None = None
    """The week's Monday."""
    weekday: int | None = None
    """0 is Monday."""
    part: str = ""
    """``"morning"`` (before noon) or ``"afternoon"``."""
    consultant: Consultant | None = None


PARTS = {"morning": MORNING, "afternoon": AFTERNOON}


def find_slots(
    offer: Offer,
    *,
    today: dt.date,
    standard: QualityStandard,
    wish: SlotWish | None = None,
    count: int = 12,
) -> SlotSearch:
    """``count`` free times for ``offer`` (and a waiting spouse's) as ``wish`` narrows them, spread over
    days and times, the least extra driving first (:func:`fhb.core.planning.slots.free_slots`)."""
    wish = wish or SlotWish()
    partner = waiting_partner(offer)
    offers = [offer, partner] if partner else [offer]
    duration_min = visit_minutes(offers, standard)
    window_first, window_last = first, last = slot_window(offer, today)
    if wish.week is not None:
        first, last = max(first, wish.week), min(last, wish.week + dt.timedelta(days=6))
    if wish.weekday is not None and wish.week is not None:
        day = wish.week + dt.timedelta(days=wish.weekday)
        first, last = max(first, day), min(last, day)
    problem = not_bookable(offer)
    point = offer.citizen.dwelling.point
    if not problem and point is None:
        problem = _("Borgerens bolig mangler koordinater, så der kan ikke findes tider med kørsel.")
    if not problem and window_last < window_first:
        problem = _("Tilbuddets periode er udløbet (%(last)s).") % {"last": daydate(offer.due_to)}
    if problem or point is None or last < first:
        return SlotSearch(offers, first, last, duration_min, [], problem)
    team = core_consultants(first, last)
    if wish.consultant is not None:
        team = [c for c in team if c.id == wish.consultant.user_id]
    found = free_slots(
        point,
        duration_min,
        first,
        last,
        team,
        booked_visits(first, last),
        travel_times(),
        closing_days=closing_days(first, last),
        visiting_hours=visiting_hours(standard),
        starts_between=PARTS.get(wish.part),
        weekdays=None if wish.weekday is None else frozenset({wish.weekday}),
        count=count,
    )
    by_user = {c.user_id: c for c in Consultant.objects.select_related("user")}
    slots = [
        SlotChoice(by_user[s.consultant], aware(s.start), aware(s.end), math.ceil(s.extra_driving_s / 60))
        for s in found
    ]
    return SlotSearch(offers, first, last, duration_min, slots)


def route_problems(
    consultant: Consultant, start: dt.datetime, end: dt.datetime, point: Point, standard: QualityStandard
) -> list[str]:
    """Whether the day still has room and the drive in and out still fits between its other visits."""
    start_local, end_local = naive_local(start), naive_local(end)
    shift = next(
        (
            s
            for s in shifts_on(consultant, start_local.date(), standard)
            if s.start <= start_local and end_local <= s.end
        ),
        None,
    )
    if shift is None:
        return []  # time_problems has said why
    day = [
        b
        for b in booked_visits(shift.day, shift.day)
        if b.consultant == consultant.user_id and shift.start <= b.start < shift.end
    ]
    if len(day) >= shift.max_visits:
        return [
            _("%(name)s har allerede %(n)s besøg den dag (højst %(max)s).")
            % {"name": consultant, "n": len(day), "max": shift.max_visits}
        ]
    base = consultant.base
    before = max((b for b in day if b.end <= start_local), key=lambda b: b.end, default=None)
    after = min((b for b in day if b.start >= end_local), key=lambda b: b.start, default=None)
    points = [
        before.point if before else base,
        point,
        after.point if after else base,
    ]
    driving = travel_times().matrix(points).duration_s
    free_from = before.end if before else shift.start
    free_until = after.start if after else shift.end
    arrive = free_from + dt.timedelta(seconds=int(driving[0, 1]))
    leave = end_local + dt.timedelta(seconds=int(driving[1, 2]))
    if arrive > start_local or leave > free_until:
        return [_("Der er ikke længere tid til at køre til og fra besøget mellem de andre besøg den dag.")]
    return []
