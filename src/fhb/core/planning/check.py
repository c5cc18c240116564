"""An independent check of a plan against every hard rule: what the tests and the benchmark trust.

It shares no code with the solver's model but the calendar (:func:`request_shifts`, itself tested in
tests/core/planning/test_calendar.py): it asks for the travel times again and walks each day in order. A
plan that passes keeps each visit inside its window (not before the notice its letter needs) and its
consultant's working time (no public holiday, closing day or absence; inside the standard's visiting
hours), keeps every promise, leaves time to drive between visits, holds the lunch break and the day's most
visits, and places each visit at most once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fhb.core.planning.calendar import Shift, closed_days
from fhb.core.planning.model import Plan
from fhb.core.planning.planner import LUNCH_SLACK, PlanRequest, request_shifts
from fhb.core.planning.travel import TravelTimes


def plan_violations(plan: Plan, request: PlanRequest, travel: TravelTimes) -> list[str]:
    """Every broken rule, as a sentence naming the visit or day; empty when the plan is sound."""
    problems: list[str] = []
    needs = {n.key: n for n in request.needs}
    consultants = {c.id: c for c in request.consultants}
    closed = closed_days(request.first, request.last, request.closing_days)
    shifts: dict[int, list[Shift]] = {c.id: [] for c in request.consultants}
    for piece in request_shifts(request):
        shifts[piece.consultant].append(piece)
    counts = Counter(v.key for v in plan.visits)
    problems += [f"{key}: placed {n} times" for key, n in counts.items() if n > 1]
    promised = {k for k, n in needs.items() if n.promise is not None}
    for visit in plan.visits:
        need = needs.get(visit.key)
        if need is None:
            problems.append(f"{visit.key}: not asked for")
            continue
        if visit.end - visit.start != dt.timedelta(minutes=need.duration_min):
            problems.append(f"{visit.key}: lasts {visit.end - visit.start}, not {need.duration_min} min")
        if need.promise is not None:
            if (visit.consultant, visit.start) != (need.promise.consultant, need.promise.start):
                problems.append(f"{visit.key}: promised {need.promise.start} moved to {visit.start}")
        elif not need.due_from <= visit.start.date() <= need.due_to:
            problems.append(f"{visit.key}: {visit.start.date()} outside {need.due_from}..{need.due_to}")
        elif need.notice_from is not None and visit.start.date() < need.notice_from:
            problems.append(
                f"{visit.key}: {visit.start.date()} before the letter's notice ({need.notice_from})"
            )
        if not request.first <= visit.start.date() <= request.last:
            problems.append(f"{visit.key}: {visit.start.date()} outside the horizon")
        if visit.start.date() in closed:
            problems.append(f"{visit.key}: on {visit.start.date()}, closed ({closed[visit.start.date()]})")
        if not any(s.start <= visit.start and visit.end <= s.end for s in shifts.get(visit.consultant, [])):
            problems.append(f"{visit.key}: {visit.start}-{visit.end:%H:%M} outside the consultant's shifts")
    kept = {v.key for v in plan.visits}
    reported = {n.key for n in plan.not_placed}
    for key in promised - kept - reported:
        problems.append(f"{key}: promised visit neither kept nor reported")
    for key in set(needs) - kept - reported:
        problems.append(f"{key}: neither placed nor reported")

    per_day: Counter[tuple[int, dt.date]] = Counter()
    for day in plan.days:
        per_day[(day.consultant, day.day)] += len(day.visits)
        consultant = consultants[day.consultant]
        shift = next((s for s in shifts[day.consultant] if s.start <= day.leave < s.end), None)
        if shift is None or day.back > shift.end:
            problems.append(f"consultant {day.consultant} {day.day}: {day.leave}-{day.back} outside a shift")
            continue
        points = [consultant.base, *(needs[v.key].point for v in day.visits), consultant.base]
        driving = travel.matrix(points).duration_s
        now = day.leave
        blocks = [(v.start, v.end, i + 1) for i, v in enumerate(day.visits)]
        for start, end, position in blocks:
            if day.lunch is not None and now <= day.lunch[0] and day.lunch[1] <= start:
                now = max(now, day.lunch[1])  # lunch where the last visit was, then drive on
            arrive = now + dt.timedelta(seconds=int(driving[position - 1, position]))
            if arrive > start:
                key = day.visits[position - 1].key
                problems.append(f"{key}: starts {start}, cannot arrive before {arrive}")
            now = end
        if day.lunch is not None and now <= day.lunch[0]:
            now = day.lunch[1]
        back = now + dt.timedelta(seconds=int(driving[len(day.visits), len(day.visits) + 1]))
        if back > day.back:
            problems.append(f"consultant {day.consultant} {day.day}: back {day.back}, not before {back}")
        if shift.lunch_at is not None and day.visits:
            if day.lunch is None:
                problems.append(f"consultant {day.consultant} {day.day}: no lunch break")
            else:
                ls, le = day.lunch
                if abs(ls - shift.lunch_at) > LUNCH_SLACK or le - ls != dt.timedelta(minutes=shift.lunch_min):
                    problems.append(f"consultant {day.consultant} {day.day}: lunch {ls:%H:%M}-{le:%H:%M}")
                if any(s < le and ls < e for s, e, _ in blocks):
                    problems.append(f"consultant {day.consultant} {day.day}: a visit overlaps lunch")
    for (consultant_id, day_date), n in per_day.items():
        most = consultants[consultant_id].pattern.max_visits
        if n > most:
            problems.append(f"consultant {consultant_id} {day_date}: {n} visits, at most {most}")
    return problems
