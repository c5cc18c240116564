"""Synthetic history: past plan years of stored facts for the citizens already in the database.

The statistics count what happened in past years (offers made, answers, visits held, requests decided),
but a fresh import and eligibility run only give this year's offers. :func:`write_history` fills earlier
plan years for the demo and the benchmarks, the way the standard would have made them:

- **Offers**: the core engine evaluates the standard for each past plan year on the stored population
  (judged on 1 January of that year, like a yearly run), and each decision is stored as an
  :class:`~fhb.offers.models.Offer` of a backdated yearly :class:`~fhb.offers.models.EligibilityRun`.
  An offer gets ``offered_on`` (the day its letter went out: mostly January-March for the yearly groups,
  the first days of the window for a trigger) and a reply drawn with plausible shares (a letter with a
  time, opt-out: 75 % yes, 15 % no, 2 % never again where the standard honours it; a letter without a
  time, opt-in: 45 % yes, 20 % no; an invitation to a collective arrangement: 15 % yes, the individual
  visit asked for instead, 10 % no; an offer made by telephone: 70 % yes, 15 % no; the rest no answer),
  each with its :class:`~fhb.offers.models.Answer`. Sign-ups for past arrangements are not imitated.
  Exempt, handed-over and to-be-assessed decisions are stored without ``offered_on``. About 2 % of the
  offers are withdrawn: a citizen who died during the year (``death_date``) loses the offer with the
  service's reason; the rest of the 2 % read "gone from the extract", since every other citizen is alive
  in today's extract and a death would contradict the citizen page.
- **Visits**: an offer answered yes, and an opt-out offer without a no, gets a visit on a working day
  (no weekend, no Danish public holiday) between 9.30 and 15.00 inside its window, by the consultant of
  the citizen's area (the citizens sorted by postcode and position, cut into one stretch per consultant).
  Outcomes: held 88 % (``held_minutes`` the planned length ± 15), closed door 5 %, cancelled 5 % (by the
  citizen or by us), declined at the door 2 % (a "no" to the offer, as :mod:`fhb.outcomes.actions` records
  it). Held and closed-door visits get ``drive_minutes`` (10-35). Partners who both have an offer with
  the couple pairing (``couple_cpr``) and both want a visit get one visit for both offers.
- **Requests**: about one per 200 citizens a year, received January-November, the deadline as
  :func:`fhb.offers.requests.deadline` computes it; 92 % decided within it (21 days where the standard
  sets none), 90 % granted, each granted request with its offer (origin *request*) as
  :func:`fhb.offers.actions.decide_request` makes it.

How the past is imitated: the stored population is today's, so the citizens who died before the extract
are missing from earlier years (the oldest groups count somewhat fewer offers the further back a year
lies). Ended episodes in the care system's facts (courses, admissions, ended help: the facts that open a
trigger's window) and the widowhoods of the extract's last twelve months (those no dead spouse in the
data ties down) are moved back by whole years, so that each past year sees about as many as the latest
twelve months of the extract; ongoing facts, bereavement facts and older civil status keep their real
dates. A trigger's
window that begins in the year before belongs to that year's offers and is left out (a real run of each
year would store it twice). "Never again" answers of one year exempt the citizen in the later years.
Nothing is dated on or after ``today``.

This is a synthetic backfill, written in bulk as plain rows (``fhb.citizens.bulk``: PostgreSQL ``COPY``,
SQLite ``executemany``; the ORM's ``bulk_create`` spent most of its time compiling SQL): it writes **no
django-simple-history rows** and no letters (``offered_on`` carries the fact that a letter went out; the
PDFs would be too heavy). It refuses plan years that already have offers; the same seed on the same
stored population gives the same rows.
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction

from fhb.accounts.models import User
from fhb.citizens.bulk import allocate_ids, insert_rows
from fhb.citizens.importer import load_stored
from fhb.citizens.models import Citizen
from fhb.core.eligibility import Decision, evaluate
from fhb.core.planning.calendar import public_holidays
from fhb.core.population.model import WIDOWED_CODES, Event, Population
from fhb.core.population.model import Citizen as CoreCitizen
from fhb.core.standard.schema import QualityStandard
from fhb.offers.declined import NEVER_AGAIN_NOTE, declined_all_events, honours_never_again
from fhb.offers.models import Answer, Channel, EligibilityRun, Offer, Request
from fhb.offers.requests import REQUEST_GROUP, deadline
from fhb.offers.runs import offer_values
from fhb.planning.models import Consultant
from fhb.visits.models import CancelledBy, CitizenTold, Visit

CPH = ZoneInfo("Europe/Copenhagen")
BATCH = 2000

#: Reply shares of a letter with a time the citizen may decline (opt-out) and of one she must answer.
OPT_OUT_REPLIES = ((Offer.Reply.YES, 0.75), (Offer.Reply.NO, 0.15), (Offer.Reply.NEVER_AGAIN, 0.02))
OPT_IN_REPLIES = ((Offer.Reply.YES, 0.45), (Offer.Reply.NO, 0.20))
#: Reply shares of an invitation to a collective arrangement (``arrangement``): *yes* is the individual visit
#: asked for instead, which few ask for; and of an offer made by telephone (the date agreed in the call).
ARRANGEMENT_REPLIES = ((Offer.Reply.YES, 0.15), (Offer.Reply.NO, 0.10))
PHONE_REPLIES = ((Offer.Reply.YES, 0.70), (Offer.Reply.NO, 0.15))
#: How visits ended.
OUTCOMES = (
    (Visit.Status.HELD, 0.88),
    (Visit.Status.CLOSED_DOOR, 0.05),
    (Visit.Status.CANCELLED, 0.05),
    (Visit.Status.DECLINED, 0.02),
)
WITHDRAWN_SHARE = 0.02
CITIZENS_PER_REQUEST = 200
REQUESTS_ON_TIME = 0.92
REQUESTS_GRANTED = 0.90
#: The reference deadline for deciding a request where the standard sets none.
DEFAULT_DEADLINE_DAYS = 21
#: Share of yearly letters sent January-March (the rest April-November).
EARLY_LETTERS = 0.85
#: A visit lies between these times (minutes after midnight), starting on a quarter of an hour.
DAY_FROM_MIN, DAY_TO_MIN = 9 * 60 + 30, 15 * 60
DRIVE_MIN = (10, 35)

GONE_REASON = "Borgeren er ikke længere i udtrækket (fraflyttet eller udgået)."
REQUEST_NOTES = (
    "Ønsker besøg efter et fald i hjemmet.",
    "Pårørende er bekymret for borgerens trivsel.",
    "Har for nylig mistet sin ægtefælle.",
    "Føler sig ensom og vil gerne tale om muligheder.",
    "Udskrevet fra hospitalet og usikker på hverdagen.",
    "Vil gerne høre om aktiviteter og træning i nærområdet.",
)
CONTACTS: dict[str, tuple[str, ...]] = {
    Request.From.RELATIVE: ("Datter", "Søn", "Nabo og ven af familien", "Barnebarn"),
    Request.From.STAFF: ("Hjemmeplejen", "Hjemmesygeplejen", "Træningscentret"),
}
GRANTED_REASON = "Faglig vurdering: behov for et forebyggende hjemmebesøg."
REFUSED_REASON = "Faglig vurdering: borgeren har allerede tilbud om besøg i år."
CANCEL_REASONS = {
    CancelledBy.CITIZEN: ("Borgeren er syg.", "Borgeren skal til lægen.", "Borgeren har fået besøg."),
    CancelledBy.US: ("Konsulenten er syg.", "Akut opgave i teamet.", "Kursusdag."),
}
ANSWER_CHANNELS = ((Channel.PHONE, 0.7), (Channel.MAIL, 0.15), (Channel.DIGITAL_POST, 0.1))


class HistoryError(Exception):
    """The history cannot be written; the message says why, in Danish."""


@dataclass
class YearSummary:
    """What one past plan year got."""

    year: int
    decisions: int = 0
    offers: int = 0
    offered: int = 0
    withdrawn: int = 0
    replies: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    granted: int = 0

    def line(self) -> str:
        visits = sum(self.visits.values())
        held = self.visits.get(Visit.Status.HELD, 0)
        yes = self.replies.get(Offer.Reply.YES, 0)
        return (
            f"{self.year}: {self.decisions} afgørelser, {self.offers} tilbud ({self.offered} sendt, "
            f"{self.withdrawn} bortfaldet, {yes} ja tak), {visits} besøg ({held} gennemført), "
            f"{self.requests} henvendelser ({self.granted} bevilget)"
        )


@dataclass
class HistorySummary:
    years: list[YearSummary]
    seconds: float

    def lines(self) -> list[str]:
        return [y.line() for y in self.years]


def default_history_years(plan_year: int, count: int = 5) -> list[int]:
    """The ``count`` plan years before ``plan_year`` (the demo's and the benchmarks' history)."""
    return list(range(plan_year - count, plan_year))


def write_history(
    years: Sequence[int], *, standard: QualityStandard, seed: int = 1, today: date
) -> HistorySummary:
    """Store offers, answers, visits and requests for each past plan year in ``years`` (see the module
    docstring): one transaction, bulk inserts, no django-simple-history rows. Raises :class:`HistoryError`
    when a year lies after ``today``'s year or already has offers, or when there are no citizens or no
    consultants. ``today`` bounds every date written (this year is filled up to yesterday)."""
    started = time.perf_counter()
    years = sorted(set(years))
    if not years:
        raise HistoryError("Angiv mindst ét planår.")
    if years[-1] > today.year:
        raise HistoryError(f"Historik kan kun skrives for år til og med {today.year}, ikke {years[-1]}.")
    taken = sorted(Offer.objects.filter(year__in=years).order_by().values_list("year", flat=True).distinct())
    if taken:
        raise HistoryError(
            "Der findes allerede tilbud for "
            + ", ".join(map(str, taken))
            + "; historikken skrives ikke igen."
        )
    consultants = _consultant_ids()
    if not consultants:
        raise HistoryError("Der er ingen konsulenter at tildele besøgene; opret konsulenterne først.")
    citizens, _, events = load_stored(Citizen.objects.filter(in_extract=True))
    if not citizens:
        raise HistoryError("Der er ingen borgere i databasen; indlæs et udtræk først.")
    writer = _Writer(standard, list(citizens.values()), events, consultants, seed, today)
    with transaction.atomic():
        summaries = [writer.write_year(year) for year in years]
    return HistorySummary(summaries, time.perf_counter() - started)


def _consultant_ids() -> list[int]:
    """The users who visit: active planning consultants, else users with the consultant role."""
    ids = list(
        Consultant.objects.filter(active=True, user__is_active=True)
        .order_by("user__username")
        .values_list("user_id", flat=True)
    )
    if ids:
        return ids
    return list(
        User.objects.filter(role="consultant", is_active=True)
        .order_by("username")
        .values_list("pk", flat=True)
    )


def _pick(rng: random.Random, shares: Sequence[tuple[str, float]], rest: str = "") -> str:
    draw = rng.random()
    for value, share in shares:
        if draw < share:
            return value
        draw -= share
    return rest


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=CPH)


def _insert(model: type[models.Model], rows: list[dict[str, Any]], *, with_id: bool = False) -> None:
    """Insert ``rows`` (values by column name; a missing column gets the field's default)."""
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    columns = [str(f.column) for f in fields]
    defaults = {f.column: None if f.primary_key else f.get_default() for f in fields}
    json_columns = {f.column for f in fields if isinstance(f, models.JSONField)}

    def row(values: dict[str, Any]) -> tuple[Any, ...]:
        out = [values.get(c, defaults[c]) for c in columns]
        for i, column in enumerate(columns):
            if column in json_columns:
                out[i] = json.dumps(out[i])
        return tuple(out)

    for i in range(0, len(rows), BATCH * 5):
        insert_rows(model, columns, [row(values) for values in rows[i : i + BATCH * 5]])


@dataclass(slots=True)
class _Plan:
    """One offer in the making (its columns), with what happened to it."""

    offer: dict[str, Any]
    cpr: str
    last_day: date  # the last day anything can happen: window end, yesterday, the day before death
    wants_visit: bool = False
    visit_from: date | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)
    id: int = 0


class _Writer:
    def __init__(
        self,
        standard: QualityStandard,
        citizens: list[CoreCitizen],
        events: list[Event],
        consultants: list[int],
        seed: int,
        today: date,
    ) -> None:
        self.standard = standard
        self.citizens = sorted(citizens, key=lambda c: c.cpr)
        self.by_cpr = {c.cpr: c for c in self.citizens}
        self.events = sorted(events, key=lambda e: (e.cpr, e.kind, e.start, e.end or date.max, e.note))
        self.seed = seed
        self.today = today
        self.yesterday = today - timedelta(days=1)
        self.never_again = honours_never_again(standard)
        self.arrangement_groups = {g.id for g in standard.groups if g.arrangement is not None}
        self.declined = {e.cpr: e.start for e in declined_all_events()}
        self.citizen_ids = dict(Citizen.objects.filter(in_extract=True).values_list("cpr", "pk"))
        self.closed = set(public_holidays(date(today.year - 30, 1, 1), date(today.year + 1, 12, 31)))
        # The consultant of each citizen's area: citizens by postcode and position, one stretch each.
        placed = sorted(self.citizens, key=lambda c: (c.postcode, c.lat or 0.0, c.lon or 0.0, c.cpr))
        self.consultant_of = {
            c.cpr: consultants[i * len(consultants) // len(placed)] for i, c in enumerate(placed)
        }
        # The latest facts lie about at the extract date; the year half a year before it is the one whose
        # trigger episodes the extract shows in full (see the module docstring).
        dates = [d for e in events for d in (e.start, e.end) if d is not None and d <= today]
        anchor = max(dates) if dates else today
        self.reference_year = (anchor - timedelta(days=182)).year
        # Widowed in the extract's last year, with no dead spouse in it to tie the date down: moved back too.
        dead = {c.cpr for c in self.citizens if c.death_date is not None}
        self.recently_widowed = [
            i
            for i, c in enumerate(self.citizens)
            if c.civil_status in WIDOWED_CODES
            and c.civil_status_date is not None
            and anchor - timedelta(days=365) < c.civil_status_date <= anchor
            and c.spouse_cpr not in dead
        ]
        steps = standard.closed_door.steps if standard.closed_door is not None else []
        self.closed_door_steps = list(steps)

    # --- the population of a past year ---------------------------------------------------------------------

    def population(self, year: int) -> Population:
        shift = self.reference_year - year
        citizens = list(self.citizens)
        events: list[Event] = self.events
        if shift > 0:
            for i in self.recently_widowed:
                c = citizens[i]
                assert c.civil_status_date is not None
                citizens[i] = dataclasses.replace(
                    c, civil_status_date=_years_back(c.civil_status_date, shift)
                )
            events = [
                Event(e.cpr, e.kind, _years_back(e.start, shift), _years_back(e.end, shift), e.note)
                if e.end is not None
                else e
                for e in self.events
            ]
        declined = [
            Event(cpr=cpr, kind="declined_all", start=day, note=NEVER_AGAIN_NOTE)
            for cpr, day in sorted(self.declined.items())
            if day < date(year, 1, 1)
        ]
        return Population(tuple(citizens), (*events, *declined))

    # --- dates ---------------------------------------------------------------------------------------------

    def working_day(self, lo: date, hi: date) -> date | None:
        """The first working day from ``lo`` on, if it is not after ``hi``."""
        day = lo
        while day <= hi:
            if day.weekday() < 5 and day not in self.closed:
                return day
            day += timedelta(days=1)
        return None

    def day_between(self, rng: random.Random, lo: date, hi: date) -> date | None:
        if hi < lo:
            return None
        drawn = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        return self.working_day(drawn, hi) or self.working_day(lo, hi)

    def last_day(self, cpr: str, due_to: date) -> date:
        last = min(due_to, self.yesterday)
        died = self.by_cpr[cpr].death_date
        if died is not None:
            last = min(last, died - timedelta(days=1))
        return last

    # --- one year ------------------------------------------------------------------------------------------

    def write_year(self, year: int) -> YearSummary:
        rng = random.Random(f"fhb-history-{self.seed}-{year}")
        jan1 = date(year, 1, 1)
        summary = YearSummary(year)
        decisions = [
            d
            for d in evaluate(self.standard, self.population(year), year, jan1)
            if d.due_from is not None and d.due_to is not None and not (d.trigger and d.due_from < jan1)
        ]
        decisions.sort(key=lambda d: (d.cpr, d.group, d.trigger or "", d.due_from or jan1))
        run = EligibilityRun.objects.create(
            year=year,
            on=jan1,
            kind=EligibilityRun.Kind.YEARLY,
            standard=self.standard.id,
            standard_approved=f"{self.standard.approval.body} {self.standard.approval.date.isoformat()}",
        )
        # A run is stamped "now"; back-date it, so that this year's run stays the latest.
        EligibilityRun.objects.filter(pk=run.pk).update(started_at=_at(date(year, 1, 2), 7 * 60))
        plans = [self.run_offer(rng, d, run.pk, year) for d in decisions]
        request_plans, requests = self.requests(rng, year, summary)
        plans += request_plans
        visits = self.visits(rng, plans)

        for plan, pk in zip(plans, allocate_ids(Offer, len(plans)), strict=True):
            plan.id = plan.offer["id"] = pk
        _insert(Offer, [p.offer for p in plans], with_id=True)
        for request, granted in requests:
            request["offer_id"] = granted.id if granted is not None else None
        _insert(Request, [r for r, _ in requests])
        _insert(Answer, [{**a, "offer_id": p.id} for p in plans for a in p.answers])
        visit_ids = allocate_ids(Visit, len(visits))
        for (visit, _), pk in zip(visits, visit_ids, strict=True):
            visit["id"] = pk
        _insert(Visit, [v for v, _ in visits], with_id=True)
        links = [{"visit_id": v["id"], "offer_id": p.id} for v, linked in visits for p in linked]
        _insert(Visit.offers.through, links)

        for plan in plans:
            for answer in plan.answers:
                if answer["reply"] == Offer.Reply.NEVER_AGAIN:
                    first = self.declined.get(plan.cpr, answer["received"])
                    self.declined[plan.cpr] = min(first, answer["received"])
        from_run = [p.offer for p in plans if p.offer["origin"] == Offer.Origin.RUN]
        counts: dict[str, dict[str, int]] = {}
        for o in from_run:
            if o["status"] == Offer.Status.ACTIVE:
                counts.setdefault(o["group"], {}).setdefault(o["decision"], 0)
                counts[o["group"]][o["decision"]] += 1
        run.summary = {
            "by_group": counts,
            "new": len(from_run),
            "withdrawn": 0,
            "changed": 0,
            "new_ids": [o["id"] for o in from_run][:1000],
            "withdrawn_ids": [],
            "synthetic_history": True,
        }
        run.save(update_fields=["summary"])

        summary.decisions = len(decisions)
        made = [p.offer for p in plans if p.offer["decision"] == Offer.Decision.OFFER]
        summary.offers = len(made)
        summary.offered = sum(1 for o in made if o["offered_on"] is not None)
        summary.withdrawn = sum(1 for o in made if o["status"] == Offer.Status.WITHDRAWN)
        for o in made:
            if o["reply"]:
                summary.replies[o["reply"]] = summary.replies.get(o["reply"], 0) + 1
        for v, _ in visits:
            summary.visits[v["status"]] = summary.visits.get(v["status"], 0) + 1
        return summary

    # --- offers of the run ---------------------------------------------------------------------------------

    def run_offer(self, rng: random.Random, d: Decision, run_id: int, year: int) -> _Plan:
        assert d.due_from is not None and d.due_to is not None
        offer = {
            "citizen_id": self.citizen_ids[d.cpr],
            "year": year,
            "first_run_id": run_id,
            "last_run_id": run_id,
            "status": Offer.Status.ACTIVE,
            "origin": Offer.Origin.RUN,
            "reply": "",
            "reply_date": None,
            "offered_on": None,
            **offer_values(d),
        }
        plan = _Plan(offer, d.cpr, self.last_day(d.cpr, d.due_to))
        if d.decision != "offer":
            return plan
        if d.trigger:
            span = (d.due_to - d.due_from).days
            sent = self.day_between(rng, d.due_from, d.due_from + timedelta(days=min(7, span // 3)))
        else:
            if rng.random() < EARLY_LETTERS:
                drawn = self.day_between(rng, date(year, 1, 5), date(year, 3, 31))
            else:
                drawn = self.day_between(rng, date(year, 4, 1), date(year, 11, 30))
            assert drawn is not None
            if drawn < d.due_from:  # the window opens later (a birthday): soon after it opens
                drawn = d.due_from + timedelta(days=rng.randint(0, 14))
            sent = self.working_day(drawn, d.due_to)
        died = self.by_cpr[d.cpr].death_date
        if died is not None and died.year == year:
            offer["status"], offer["withdrawn_reason"] = Offer.Status.WITHDRAWN, f"Borgeren er død {died}."
            if sent is not None and sent < died:
                offer["offered_on"] = sent
            return plan
        if sent is None or sent > plan.last_day:
            return plan  # the letter had not gone out (yet)
        offer["offered_on"] = sent
        if rng.random() < WITHDRAWN_SHARE:
            offer["status"], offer["withdrawn_reason"] = Offer.Status.WITHDRAWN, GONE_REASON
            if rng.random() < 0.5:
                offer["offered_on"] = None
            return plan
        self.reply(rng, plan)
        return plan

    def reply(self, rng: random.Random, plan: _Plan) -> None:
        """The citizen's answer to the letter sent on ``offered_on``, and whether a visit follows."""
        offer = plan.offer
        sent: date = offer["offered_on"]
        opt_out = offer["response"] == Offer.Response.OPT_OUT
        shares: tuple[tuple[str, float], ...] = OPT_OUT_REPLIES if opt_out else OPT_IN_REPLIES
        if offer["group"] in self.arrangement_groups:
            shares = ARRANGEMENT_REPLIES
        elif offer["letter"] == Offer.Letter.PHONE:
            shares = PHONE_REPLIES
        if not self.never_again:
            shares = tuple((Offer.Reply.NO, s) if r == Offer.Reply.NEVER_AGAIN else (r, s) for r, s in shares)
        reply = _pick(rng, shares)
        if opt_out:
            # The letter carried the time: a few weeks on, inside the window; an answer comes before it.
            gap = (plan.last_day - sent).days
            visit_from = sent + timedelta(days=min(14, max(1, gap // 2)))
            answered = sent + timedelta(days=rng.randint(1, max(1, min(13, gap // 2))))
        else:
            answered = sent + timedelta(days=rng.randint(2, 30))
            visit_from = answered + timedelta(days=7)
        if reply and answered <= plan.last_day:
            offer["reply"], offer["reply_date"] = reply, answered
            plan.answers.append(
                {
                    "reply": reply,
                    "channel": _pick(rng, ANSWER_CHANNELS, Channel.LETTER),
                    "received": answered,
                    "user_id": self.consultant_of[plan.cpr],
                    "created_at": _at(answered, 10 * 60),
                }
            )
        else:
            reply = ""
        if reply == Offer.Reply.YES or (opt_out and not reply):
            plan.wants_visit, plan.visit_from = True, visit_from

    # --- requests ------------------------------------------------------------------------------------------

    def requests(
        self, rng: random.Random, year: int, summary: YearSummary
    ) -> tuple[list[_Plan], list[tuple[dict[str, Any], _Plan | None]]]:
        """The year's requests, each with its offer when granted; decided within the year, before today."""
        made: list[tuple[dict[str, Any], _Plan | None]] = []
        rules = self.standard.requests
        first = date(year, 1, 2)
        # Received early enough to be decided, even late, within the year and before today.
        days = rules.deadline_days if rules is not None and rules.deadline_days else DEFAULT_DEADLINE_DAYS
        latest = min(date(year, 12, 31), self.yesterday) - timedelta(days=days + 14)
        if latest < first:
            return [], made
        mid = date(year, 7, 1)
        ages = rules.age_ranges if rules is not None and rules.age_ranges else []
        candidates = [
            c
            for c in self.citizens
            if c.is_alive_on(first)
            and (
                any(r.min_years <= c.age_on(mid) <= r.max_years for r in ages)
                if ages
                else c.age_on(mid) >= 65
            )
        ]
        count = min(len(candidates), round(len(self.citizens) / CITIZENS_PER_REQUEST))
        allowed = list(rules.who_may_ask) if rules is not None else [Request.From.CITIZEN.value]
        others = [w for w in allowed if w != Request.From.CITIZEN]
        clause = rules.clause if rules is not None else ""
        plans: list[_Plan] = []
        for citizen in sorted(rng.sample(candidates, count), key=lambda c: c.cpr):
            received = self.day_between(rng, first, latest)
            if received is None or not citizen.is_alive_on(received):
                continue
            came_from = rng.choice(others) if others and rng.random() < 0.25 else Request.From.CITIZEN
            due = deadline(received, self.standard)
            target = due or received + timedelta(days=DEFAULT_DEADLINE_DAYS)
            if rng.random() < REQUESTS_ON_TIME:
                on_time = self.day_between(rng, received + timedelta(days=1), target)
                decided = on_time or target
            else:
                late = self.day_between(rng, target + timedelta(days=1), target + timedelta(days=14))
                decided = late or target + timedelta(days=1)
            granted = rng.random() < REQUESTS_GRANTED
            user_id = self.consultant_of[citizen.cpr]
            request = {
                "citizen_id": self.citizen_ids[citizen.cpr],
                "received": received,
                "came_from": came_from,
                "contact_name": rng.choice(CONTACTS[came_from]) if came_from in CONTACTS else "",
                "consent": True,
                "channel": _pick(rng, ((Channel.PHONE, 0.7), (Channel.MAIL, 0.2)), Channel.IN_PERSON),
                "note": rng.choice(REQUEST_NOTES),
                "deadline": due,
                "status": Request.Status.GRANTED if granted else Request.Status.REFUSED,
                "decision_reason": GRANTED_REASON if granted else REFUSED_REASON,
                "decided_on": decided,
                "decided_by_id": user_id,
                "user_id": user_id,
            }
            summary.requests += 1
            if not granted:
                made.append((request, None))
                continue
            summary.granted += 1
            due_to = max(decided, due or decided) + timedelta(days=90)
            offer = {  # as fhb.offers.requests.decide_request makes it
                "citizen_id": self.citizen_ids[citizen.cpr],
                "year": decided.year,
                "group": REQUEST_GROUP,
                "decision": Offer.Decision.OFFER,
                "letter": Offer.Letter.WITH_TIME,
                "response": Offer.Response.OPT_OUT,
                "due_from": decided,
                "due_to": due_to,
                "reason": f"Bevilget efter henvendelse: {GRANTED_REASON}",
                "rule_id": rules.id if rules is not None else REQUEST_GROUP,
                "clause": "\n".join(clause) if isinstance(clause, list) else clause,
                "duration_min": self.standard.visit.duration_min,
                "status": Offer.Status.ACTIVE,
                "origin": Offer.Origin.REQUEST,
                "reply": "",
                "reply_date": None,
                "offered_on": decided,
            }
            plan = _Plan(offer, citizen.cpr, self.last_day(citizen.cpr, due_to))
            made.append((request, plan))
            if decided <= plan.last_day:
                self.reply(rng, plan)
            else:
                offer["offered_on"] = None
            plans.append(plan)
        return plans, made

    # --- visits --------------------------------------------------------------------------------------------

    def visits(self, rng: random.Random, plans: list[_Plan]) -> list[tuple[dict[str, Any], list[_Plan]]]:
        """A visit for each offer that wants one; one for both partners of a couple who both want one."""
        wanting = [p for p in plans if p.wants_visit]
        by_cpr: dict[str, list[_Plan]] = {}
        for plan in wanting:
            by_cpr.setdefault(plan.cpr, []).append(plan)
        done: set[int] = set()
        made: list[tuple[dict[str, Any], list[_Plan]]] = []
        for plan in wanting:
            if id(plan) in done:
                continue
            done.add(id(plan))
            group = [plan]
            mate = plan.offer.get("couple_cpr", "")
            if mate:
                for other in by_cpr.get(mate, []):
                    if id(other) not in done and other.offer.get("couple_cpr") == plan.cpr:
                        done.add(id(other))
                        group.append(other)
                        break
            visit = self.visit(rng, group)
            if visit is not None:
                made.append((visit, group))
            elif len(group) > 1:  # the two windows do not meet: a visit each
                for single in group:
                    alone = self.visit(rng, [single])
                    if alone is not None:
                        made.append((alone, [single]))
        return made

    def visit(self, rng: random.Random, group: list[_Plan]) -> dict[str, Any] | None:
        lo = max(p.visit_from for p in group if p.visit_from is not None)
        hi = min(min(p.last_day for p in group), lo + timedelta(days=42))
        day = self.day_between(rng, lo, hi)
        if day is None:
            return None
        length = max(p.offer["duration_min"] or self.standard.visit.duration_min for p in group)
        slots = max(1, (DAY_TO_MIN - DAY_FROM_MIN - length) // 15 + 1)
        start = _at(day, DAY_FROM_MIN + 15 * rng.randrange(slots))
        end = start + timedelta(minutes=length)
        status = _pick(rng, OUTCOMES)
        user_id = self.consultant_of[group[0].cpr]
        visit: dict[str, Any] = {
            "start": start,
            "end": end,
            "consultant_id": user_id,
            "status": status,
            "outcome_by_id": user_id,
            "outcome_at": end + timedelta(minutes=rng.randint(5, 120)),
        }
        if status == Visit.Status.HELD:
            visit["held_minutes"] = max(15, length + rng.randint(-15, 15))
            visit["status_reason"] = "Besøget er gennemført."
        elif status == Visit.Status.CLOSED_DOOR:
            visit["note_left_at"] = note = start + timedelta(minutes=10)
            visit["closed_door_steps"] = self.closed_door_steps
            visit["status_reason"] = f"Lukket dør; seddel lagt {note:%d.%m.%Y kl. %H.%M}."
        elif status == Visit.Status.CANCELLED:
            by = CancelledBy.CITIZEN if rng.random() < 0.6 else CancelledBy.US
            told = day - timedelta(days=rng.randint(0, 3))
            reason = rng.choice(CANCEL_REASONS[by])
            visit.update(cancelled_by=by, citizen_told=CitizenTold.PHONE, status_reason=reason)
            visit["outcome_at"] = _at(told, 8 * 60 + 30)
            if by == CancelledBy.CITIZEN:  # as fhb.outcomes.actions.record_cancelled notes it
                for p in group:
                    p.answers.append(
                        {
                            "reply": Offer.Reply.OTHER_TIME,
                            "channel": Channel.PHONE,
                            "received": told,
                            "note": reason,
                            "user_id": user_id,
                            "created_at": visit["outcome_at"],
                        }
                    )
        else:  # declined at the door: a "no" to each offer of the visit
            visit["status_reason"] = "Afslået ved døren."
            for p in group:
                p.offer["reply"], p.offer["reply_date"] = Offer.Reply.NO, day
                p.answers.append(
                    {
                        "reply": Offer.Reply.NO,
                        "channel": Channel.IN_PERSON,
                        "received": day,
                        "note": "Afslået ved døren.",
                        "user_id": user_id,
                        "created_at": visit["outcome_at"],
                    }
                )
        if status in (Visit.Status.HELD, Visit.Status.CLOSED_DOOR):
            visit["drive_minutes"] = rng.randint(*DRIVE_MIN)
        return visit
