"""The worklist ("Mine opgaver", issue 19): what is due, for whom, by when, and where it is done.

Every kind of task is read from the stored data by a :class:`Source`: one query over one model, the
lookup of the user the task belongs to (no lookup: the team's, anyone may take it), which rows are
overdue, the order, and how a row reads as a :class:`Task`. A page asks for the counts (one aggregate
query a source) and for a bounded number of rows (one query a source, related rows joined), never for a
query a row: there may be 100,000 citizens and years of history.

The kinds and their conditions (``open offer``: active, decision ``offer``, not declined):

- ``assessment``: an :class:`Assessment` not yet decided (outcome ""), by its deadline; the assessment's
  consultant.
- ``request``: a :class:`Request` awaiting a decision, by its deadline (the received day and a week when
  the standard sets none); the team's.
- ``follow_up``: an open :class:`FollowUp` due within the next 14 days (or before); the team's.
- ``call``: an open offer made by phone (letter ``phone``) the citizen has not answered, with no visit, fewer
  failed calls than the standard's ``[deadlines] contact_tries`` and no letter (other than a cancelled one),
  whose window has not ended and has begun or begins within 14 days; by the window's start and 14 days;
  the team's (any consultant may call).
- ``confirm``: an open offer the citizen answers by opting out (``response`` opt_out) who has not answered,
  who has been sent the time (a delivered letter with it: ``offer_with_time`` or ``new_time``; a granted
  request's offer counts as offered before its letter goes) and whose planned visit starts between now
  and the end of the 7th day ahead; by the visit's day; the visit's consultant.
- ``closed_door``: an open offer whose window has not ended and whose latest visit was a closed door, with
  no planned, held or declined visit and no letter (other than the note at the door, or a cancelled one)
  made after it; by the visit's day and a week; the visit's consultant.
- ``new_time``: an open offer whose window has not ended and whose latest visit was cancelled, with no
  planned, held or declined visit (by the cancelled visit's day and a week; the visit's consultant); and a
  planned visit within 30 days whose consultant is missing, no longer active or registered absent at its
  time (by its day; the team's: someone must take it or move it).
- ``dementia``: a citizen with an active offer of the plan year handed over to the dementia coordinator
  that no coordinator has taken: one task a citizen, however many offers; the team's (coordinators).
- ``no_show``: an open offer of a collective arrangement (its group's ``arrangement``) the citizen has not
  answered, with no visit, whose citizen signed up for a date of the activity in the offer's plan year and
  did not come (attendance recorded "no"), and has no other sign-up for it that is not a no-show; by the
  missed date and a week; the team's. The executive order: whoever does not take part in the arrangement
  is offered an individual visit.
- ``plan``: an open offer with a letter with a time that has had no visit, whose letter has not gone out
  and whose window has begun or begins within 30 days, by the window's start; the team's (the leader
  runs the planning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fhb.accounts.models import Role, User
from fhb.citizens.models import Citizen
from fhb.core.letters.model import LetterKind
from fhb.core.population.model import EVENT_KINDS
from fhb.events.models import Registration
from fhb.letters.invitations import arrangement_groups
from fhb.letters.models import Letter
from fhb.local_time import aware
from fhb.offers.models import Assessment, EligibilityRun, FollowUp, Offer, Request
from fhb.offers.years import default_plan_year
from fhb.planning.models import Absence
from fhb.standards.current import current_standard
from fhb.visits.models import Visit

#: How far ahead a follow-up, an opt-out visit to confirm, a visit without its consultant and a letter
#: waiting for a time are shown.
FOLLOW_UP_AHEAD = dt.timedelta(days=14)
CONFIRM_AHEAD = dt.timedelta(days=7)
ABSENT_AHEAD = dt.timedelta(days=30)
PLAN_AHEAD = dt.timedelta(days=30)
#: A call about an offer made by phone is shown this long before its window begins, and is due this long
#: after.
CALL_AHEAD = dt.timedelta(days=14)
CALL_DAYS = dt.timedelta(days=14)
#: A request without a deadline (the standard sets none) is due this long after it was received.
REQUEST_DAYS = dt.timedelta(days=7)
#: The next step after a closed door or a cancelled visit is due this long after the visit's day.
NEXT_STEP_DAYS = dt.timedelta(days=7)

VisitOffer = Visit.offers.through
LetterOffer = Letter.offers.through
#: The letters that tell the citizen her visit's time: once one is delivered, an opt-out visit is hers to
#: decline, and an unanswered one is confirmed by phone shortly before.
TIME_TOLD = (LetterKind.OFFER_WITH_TIME.value, LetterKind.NEW_TIME.value)


class Kind:
    """The kinds of task, in the order pages show them."""

    ASSESSMENT = "assessment"
    REQUEST = "request"
    FOLLOW_UP = "follow_up"
    CALL = "call"
    CONFIRM = "confirm"
    CLOSED_DOOR = "closed_door"
    NEW_TIME = "new_time"
    DEMENTIA = "dementia"
    NO_SHOW = "no_show"
    PLAN = "plan"

    LABELS = {
        ASSESSMENT: gettext_lazy("Vurderinger af behov"),
        REQUEST: gettext_lazy("Henvendelser"),
        FOLLOW_UP: gettext_lazy("Opfølgninger"),
        CALL: gettext_lazy("Ring til borgeren"),
        CONFIRM: gettext_lazy("Besøg, der skal bekræftes"),
        CLOSED_DOOR: gettext_lazy("Forgæves besøg"),
        NEW_TIME: gettext_lazy("Besøg, der skal have en ny tid"),
        DEMENTIA: gettext_lazy("Borgere til demenskoordinatoren"),
        NO_SHOW: gettext_lazy("Udeblev fra fællesarrangement"),
        PLAN: gettext_lazy("Breve, der venter på et tidspunkt"),
    }
    ALL: tuple[str, ...] = tuple(LABELS)


def kind_label(kind: str) -> str:
    return str(Kind.LABELS[kind])


@dataclass(frozen=True)
class At:
    """The moment the worklist is read: now, and today's local date."""

    now: dt.datetime
    today: dt.date

    @classmethod
    def current(cls) -> At:
        now = timezone.now()
        return cls(now, timezone.localdate(now))

    def midnight(self, days: int = 0) -> dt.datetime:
        """The aware start of the day ``days`` from today."""
        return aware(dt.datetime.combine(self.today + dt.timedelta(days=days), dt.time()))


@dataclass(frozen=True)
class Task:
    """One thing to do: for which citizen, what, by when, where it is done and whose it is."""

    kind: str
    citizen_name: str
    citizen_cpr: str
    what: str
    due: dt.date
    url: str
    owner_id: int | None
    owner_name: str
    #: Days past the due date (0: not overdue).
    days_over: int = 0

    @property
    def overdue(self) -> bool:
        return self.days_over > 0

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def when(self) -> str:
        """The due date's state in words: "Overskredet 3 dage", "I dag", or nothing."""
        if self.days_over:
            return ngettext("Overskredet %(n)d dag", "Overskredet %(n)d dage", self.days_over) % {
                "n": self.days_over
            }
        return ""


def _days_over(due: dt.date, at: At) -> int:
    return max(0, (at.today - due).days)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _citizen_url(citizen: Citizen) -> str:
    return reverse("citizen-detail", args=[citizen.cpr])


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _open_offer(prefix: str = "") -> Q:
    """An active offer (decision ``offer``) the citizen has not declined: visits may still follow."""
    return Q(**{f"{prefix}status": Offer.Status.ACTIVE, f"{prefix}decision": Offer.Decision.OFFER}) & ~Q(
        **{f"{prefix}reply__in": [Offer.Reply.NO, Offer.Reply.NEVER_AGAIN]}
    )


def _other_visit(*statuses: str) -> Exists:
    """The link's offer has a visit in one of ``statuses``."""
    return Exists(VisitOffer.objects.filter(offer_id=OuterRef("offer_id"), visit__status__in=statuses))


def _later_visit() -> Exists:
    """The link's offer has a visit that starts after the link's visit."""
    return Exists(
        VisitOffer.objects.filter(offer_id=OuterRef("offer_id"), visit__start__gt=OuterRef("visit__start"))
    )


@dataclass(frozen=True)
class Source:
    """How one kind of task (or one part of it) is read from the stored data."""

    kind: str
    #: The rows that are tasks now.
    query: Callable[[At], QuerySet[Any]]
    #: The lookup of the id of the user a task belongs to; None: always the team's.
    owner: str | None
    #: The rows (of ``query``) that are overdue.
    overdue: Callable[[At], Q]
    order: tuple[str, ...]
    task: Callable[[Any, At], Task]
    #: What one task is when rows are grouped (``dementia``: a citizen); None: a row.
    per: str | None = None
    related: tuple[str, ...] = field(default=())


# --- assessments -----------------------------------------------------------------------------------------


def _assessment_what(a: Assessment) -> str:
    """ "Vurdér behovet for besøg: sansetab" (what the run saw), or who referred the citizen."""
    if a.origin == Assessment.Origin.REFERRAL:
        return _("Vurdér behovet for besøg: henvist af %(who)s") % {
            "who": a.get_referred_by_display().lower()
        }
    if a.trigger in EVENT_KINDS:
        return _("Vurdér behovet for besøg: %(what)s") % {"what": EVENT_KINDS[a.trigger].lower()}
    return _("Vurdér behovet for besøg")


def _assessment_task(a: Assessment, at: At) -> Task:
    return Task(
        kind=Kind.ASSESSMENT,
        citizen_name=a.citizen.name,
        citizen_cpr=a.citizen.cpr,
        what=_assessment_what(a),
        due=a.deadline,
        url=reverse("assessment-detail", args=[a.pk]),
        owner_id=a.consultant_id,
        owner_name=_name(a.consultant),
        days_over=_days_over(a.deadline, at),
    )


ASSESSMENTS = Source(
    kind=Kind.ASSESSMENT,
    query=lambda at: Assessment.objects.filter(outcome=Assessment.Outcome.PENDING),
    owner="consultant_id",
    overdue=lambda at: Q(deadline__lt=at.today),
    order=("deadline", "id"),
    task=_assessment_task,
    related=("citizen", "consultant"),
)


# --- requests --------------------------------------------------------------------------------------------


def _request_task(r: Request, at: At) -> Task:
    due = r.deadline or r.received + REQUEST_DAYS
    return Task(
        kind=Kind.REQUEST,
        citizen_name=r.citizen.name,
        citizen_cpr=r.citizen.cpr,
        what=_("Afgør henvendelsen"),
        due=due,
        url=reverse("request-detail", args=[r.pk]),
        owner_id=None,
        owner_name="",
        days_over=_days_over(due, at),
    )


REQUESTS = Source(
    kind=Kind.REQUEST,
    query=lambda at: Request.objects.filter(status=Request.Status.PENDING).annotate(
        due_by=Coalesce("deadline", "received")
    ),
    owner=None,
    overdue=lambda at: (
        Q(deadline__lt=at.today) | Q(deadline__isnull=True, received__lt=at.today - REQUEST_DAYS)
    ),
    # A standard sets a deadline for every request or for none, so this is the order of the due dates.
    order=("due_by", "id"),
    task=_request_task,
    related=("citizen",),
)


# --- follow-ups ------------------------------------------------------------------------------------------


def _follow_up_task(f: FollowUp, at: At) -> Task:
    citizen = f.offer.citizen
    return Task(
        kind=Kind.FOLLOW_UP,
        citizen_name=citizen.name,
        citizen_cpr=citizen.cpr,
        what=_("Følg op"),
        due=f.due,
        url=reverse("follow-up-list"),
        owner_id=None,
        owner_name="",
        days_over=_days_over(f.due, at),
    )


FOLLOW_UPS = Source(
    kind=Kind.FOLLOW_UP,
    query=lambda at: FollowUp.objects.filter(
        status=FollowUp.Status.OPEN, due__lte=at.today + FOLLOW_UP_AHEAD
    ),
    owner=None,
    overdue=lambda at: Q(due__lt=at.today),
    order=("due", "id"),
    task=_follow_up_task,
    related=("offer__citizen",),
)


# --- offers made by phone: calls to make ---------------------------------------------------------------


def _call_task(offer: Offer, at: At) -> Task:
    due = offer.due_from + CALL_DAYS
    what = _("Ring og giv tilbuddet om besøg")
    if offer.call_tries:
        what += " " + _("(%(n)d forsøg uden svar)") % {"n": offer.call_tries}
    return Task(
        kind=Kind.CALL,
        citizen_name=offer.citizen.name,
        citizen_cpr=offer.citizen.cpr,
        what=what,
        due=due,
        url=reverse("offer-call", args=[offer.pk]),
        owner_id=None,
        owner_name="",
        days_over=_days_over(due, at),
    )


def _calls(at: At) -> QuerySet[Any]:
    lettered = LetterOffer.objects.filter(offer_id=OuterRef("pk")).exclude(
        letter__status=Letter.Status.CANCELLED
    )
    return (
        Offer.objects.filter(
            _open_offer(),
            letter=Offer.Letter.PHONE,
            reply=Offer.Reply.NONE,
            call_tries__lt=current_standard().deadlines.contact_tries,
            due_from__lte=at.today + CALL_AHEAD,
            due_to__gte=at.today,
        )
        .exclude(Exists(VisitOffer.objects.filter(offer_id=OuterRef("pk"))))
        .exclude(Exists(lettered))
    )


CALLS = Source(
    kind=Kind.CALL,
    query=_calls,
    owner=None,
    overdue=lambda at: Q(due_from__lt=at.today - CALL_DAYS),
    order=("due_from", "id"),
    task=_call_task,
    related=("citizen",),
)


# --- opt-out offers whose visit is near and unanswered ---------------------------------------------------


def _pronoun(citizen: Citizen) -> str:
    return _("hun") if citizen.sex == Citizen.Sex.FEMALE else _("han")


def _in_days(days: int) -> str:
    if days <= 0:
        return _("i dag")
    if days == 1:
        return _("i morgen")
    return ngettext("om %(n)d dag", "om %(n)d dage", days) % {"n": days}


def _confirm_task(link: Any, at: At) -> Task:
    visit, citizen = link.visit, link.offer.citizen
    day = _local_day(visit.start)
    return Task(
        kind=Kind.CONFIRM,
        citizen_name=citizen.name,
        citizen_cpr=citizen.cpr,
        what=_("Ring til borgeren: besøget er %(when)s, og %(who)s har ikke svaret")
        % {"when": _in_days((day - at.today).days), "who": _pronoun(citizen)},
        due=day,
        url=reverse("visit-detail", args=[visit.pk]),
        owner_id=visit.consultant_id,
        owner_name=_name(visit.consultant),
        days_over=_days_over(day, at),
    )


CONFIRM = Source(
    kind=Kind.CONFIRM,
    query=lambda at: VisitOffer.objects.filter(
        _open_offer("offer__"),
        Exists(
            LetterOffer.objects.filter(
                offer_id=OuterRef("offer_id"),
                letter__status=Letter.Status.DELIVERED,
                letter__kind__in=TIME_TOLD,
            )
        ),
        visit__status=Visit.Status.PLANNED,
        visit__start__gte=at.now,
        visit__start__lt=at.midnight(CONFIRM_AHEAD.days + 1),
        offer__response=Offer.Response.OPT_OUT,
        offer__reply=Offer.Reply.NONE,
    ),
    owner="visit__consultant_id",
    overdue=lambda at: Q(visit__start__lt=at.midnight()),
    order=("visit__start", "id"),
    task=_confirm_task,
    related=("visit__consultant", "offer__citizen"),
)


# --- closed doors waiting for the next step --------------------------------------------------------------


def _newer_letter() -> Exists:
    """A letter for the link's offer, made after its visit began: not the note left at the door, and not
    one that was cancelled."""
    return Exists(
        LetterOffer.objects.filter(
            offer_id=OuterRef("offer_id"), letter__created_at__gt=OuterRef("visit__start")
        )
        .exclude(letter__kind="closed_door")
        .exclude(letter__status=Letter.Status.CANCELLED)
    )


def _next_step_task(kind: str, what: str | Promise, url: Callable[[Any], str]) -> Callable[[Any, At], Task]:
    def task(link: Any, at: At) -> Task:
        visit, citizen = link.visit, link.offer.citizen
        due = _local_day(visit.start) + NEXT_STEP_DAYS
        return Task(
            kind=kind,
            citizen_name=citizen.name,
            citizen_cpr=citizen.cpr,
            what=str(what),
            due=due,
            url=url(link),
            owner_id=visit.consultant_id,
            owner_name=_name(visit.consultant),
            days_over=_days_over(due, at),
        )

    return task


def _last_visit_was(status: str, at: At) -> QuerySet[Any]:
    """Links of open offers (window not ended) to their latest visit, when it is in ``status`` and the
    offer has no planned, held or declined visit."""
    return (
        VisitOffer.objects.filter(_open_offer("offer__"), visit__status=status, offer__due_to__gte=at.today)
        .exclude(_other_visit(Visit.Status.PLANNED, Visit.Status.HELD, Visit.Status.DECLINED))
        .exclude(_later_visit())
    )


CLOSED_DOORS = Source(
    kind=Kind.CLOSED_DOOR,
    query=lambda at: _last_visit_was(Visit.Status.CLOSED_DOOR, at).exclude(_newer_letter()),
    owner="visit__consultant_id",
    overdue=lambda at: Q(visit__start__lt=at.midnight(-NEXT_STEP_DAYS.days)),
    order=("visit__start", "id"),
    task=_next_step_task(
        Kind.CLOSED_DOOR,
        gettext_lazy("Find næste skridt efter forgæves besøg"),
        lambda link: _citizen_url(link.offer.citizen),
    ),
    related=("visit__consultant", "offer__citizen"),
)


# --- visits needing a new time ---------------------------------------------------------------------------

CANCELLED = Source(
    kind=Kind.NEW_TIME,
    query=lambda at: _last_visit_was(Visit.Status.CANCELLED, at),
    owner="visit__consultant_id",
    overdue=lambda at: Q(visit__start__lt=at.midnight(-NEXT_STEP_DAYS.days)),
    order=("visit__start", "id"),
    task=_next_step_task(
        Kind.NEW_TIME,
        gettext_lazy("Find et nyt tidspunkt"),
        lambda link: reverse("offer-slots", args=[link.offer_id]),
    ),
    related=("visit__consultant", "offer__citizen"),
)


def _away_task(link: Any, at: At) -> Task:
    visit, citizen = link.visit, link.offer.citizen
    day = _local_day(visit.start)
    return Task(
        kind=Kind.NEW_TIME,
        citizen_name=citizen.name,
        citizen_cpr=citizen.cpr,
        what=_("Find et nyt tidspunkt eller en anden konsulent: konsulenten er fraværende"),
        due=day,
        url=reverse("visit-detail", args=[visit.pk]),
        owner_id=None,
        owner_name="",
        days_over=_days_over(day, at),
    )


def _away(at: At) -> QuerySet[Any]:
    absent = Absence.objects.filter(
        consultant__user_id=OuterRef("visit__consultant_id"),
        start__lt=OuterRef("visit__end"),
        end__gt=OuterRef("visit__start"),
    )
    return VisitOffer.objects.filter(
        Q(visit__consultant__isnull=True) | Q(visit__consultant__is_active=False) | Exists(absent),
        visit__status=Visit.Status.PLANNED,
        visit__start__gte=at.now,
        visit__start__lt=at.midnight(ABSENT_AHEAD.days + 1),
    )


AWAY = Source(
    kind=Kind.NEW_TIME,
    query=_away,
    owner=None,
    overdue=lambda at: Q(visit__start__lt=at.midnight()),
    order=("visit__start", "id"),
    task=_away_task,
    related=("visit", "offer__citizen"),
)


# --- citizens waiting for the dementia coordinator -------------------------------------------------------


def plan_year(today: dt.date) -> int:
    """The year of the latest eligibility run (what the offers are for), else the default plan year."""
    year = EligibilityRun.objects.values_list("year", flat=True).first()
    return year if year is not None else default_plan_year(today)


def _dementia_task(row: dict[str, Any], at: At) -> Task:
    due: dt.date = row["due"]
    what = _("Overtag borgeren (demenskoordinator)")
    if row["offers"] > 1:
        what += " " + _("(%(n)d tilbud)") % {"n": row["offers"]}
    return Task(
        kind=Kind.DEMENTIA,
        citizen_name=row["citizen__name"],
        citizen_cpr=row["citizen__cpr"],
        what=what,
        due=due,
        url=reverse("dementia-queue"),
        owner_id=None,
        owner_name="",
        days_over=_days_over(due, at),
    )


DEMENTIA = Source(
    kind=Kind.DEMENTIA,
    query=lambda at: Offer.objects.filter(
        decision=Offer.Decision.DEMENTIA_COORDINATOR,
        status=Offer.Status.ACTIVE,
        coordinator__isnull=True,
        year=plan_year(at.today),
    ),
    owner=None,
    overdue=lambda at: Q(due_from__lt=at.today),
    order=("due", "citizen__name"),
    task=_dementia_task,
    per="citizen_id",
)


# --- collective arrangements: citizens who signed up and did not come -------------------------------------


def _no_show_task(offer: Any, at: At) -> Task:
    day = _local_day(offer.missed_at)
    due = day + NEXT_STEP_DAYS
    return Task(
        kind=Kind.NO_SHOW,
        citizen_name=offer.citizen.name,
        citizen_cpr=offer.citizen.cpr,
        what=_("Mødte ikke op %(day)s: tilbyd et individuelt besøg") % {"day": f"{day:%d.%m.%Y}"},
        due=due,
        url=_citizen_url(offer.citizen),
        owner_id=None,
        owner_name="",
        days_over=_days_over(due, at),
    )


def _no_shows(at: At) -> QuerySet[Any]:
    by_activity = arrangement_groups(current_standard())
    missed = Registration.objects.filter(
        citizen_id=OuterRef("citizen_id"), event__start__year=OuterRef("year"), attended=False
    ).order_by("-event__start")
    with_missed = Offer.objects.annotate(missed_at=Subquery(missed.values("event__start")[:1]))
    if not by_activity:
        return with_missed.none()
    mine = Registration.objects.filter(
        citizen_id=OuterRef("citizen_id"), event__start__year=OuterRef("year")
    ).order_by()
    in_group = Q()
    for activity, groups in by_activity.items():
        of_activity = mine.filter(event__activity=activity)
        in_group |= Q(
            Q(group__in=groups),
            Exists(of_activity.filter(attended=False)),
            ~Exists(of_activity.exclude(attended=False)),
        )
    return with_missed.filter(_open_offer(), in_group, reply=Offer.Reply.NONE).exclude(
        Exists(VisitOffer.objects.filter(offer_id=OuterRef("pk")))
    )


NO_SHOWS = Source(
    kind=Kind.NO_SHOW,
    query=_no_shows,
    owner=None,
    overdue=lambda at: Q(missed_at__lt=at.midnight(-NEXT_STEP_DAYS.days)),
    order=("missed_at", "id"),
    task=_no_show_task,
    related=("citizen",),
)


# --- letters waiting for a planned time ------------------------------------------------------------------


def _plan_task(offer: Offer, at: At) -> Task:
    return Task(
        kind=Kind.PLAN,
        citizen_name=offer.citizen.name,
        citizen_cpr=offer.citizen.cpr,
        what=_("Planlæg et tidspunkt, så brevet kan sendes"),
        due=offer.due_from,
        url=reverse("plan-overview"),
        owner_id=None,
        owner_name="",
        days_over=_days_over(offer.due_from, at),
    )


PLAN = Source(
    kind=Kind.PLAN,
    query=lambda at: Offer.objects.filter(
        _open_offer(),
        letter=Offer.Letter.WITH_TIME,
        offered_on__isnull=True,
        due_from__lte=at.today + PLAN_AHEAD,
        due_to__gte=at.today,
    ).exclude(Exists(VisitOffer.objects.filter(offer_id=OuterRef("pk")))),
    owner=None,
    overdue=lambda at: Q(due_from__lt=at.today),
    order=("due_from", "id"),
    task=_plan_task,
    related=("citizen",),
)


SOURCES: tuple[Source, ...] = (
    ASSESSMENTS,
    REQUESTS,
    FOLLOW_UPS,
    CALLS,
    CONFIRM,
    CLOSED_DOORS,
    CANCELLED,
    AWAY,
    DEMENTIA,
    NO_SHOWS,
    PLAN,
)


# --- who sees what ---------------------------------------------------------------------------------------

#: The kinds a consultant works: her own tasks and those nobody owns.
CONSULTANT_KINDS = frozenset(
    {
        Kind.ASSESSMENT,
        Kind.REQUEST,
        Kind.FOLLOW_UP,
        Kind.CALL,
        Kind.CONFIRM,
        Kind.CLOSED_DOOR,
        Kind.NEW_TIME,
        Kind.NO_SHOW,
    }
)
#: The dementia coordinator works a consultant's kinds, but makes no offers by phone (a consultant's or a
#: leader's call), and takes the citizens handed over.
COORDINATOR_KINDS = (CONSULTANT_KINDS - {Kind.CALL, Kind.NO_SHOW}) | {Kind.DEMENTIA}


@dataclass(frozen=True)
class Scope:
    """Which tasks a list holds: of which kinds, and whose."""

    kinds: frozenset[str]
    #: This user's tasks.
    user_id: int | None = None
    #: And the tasks nobody owns.
    team: bool = True
    #: Every user's tasks (a leader's view); ``user_id`` and ``team`` are then not asked.
    everyone: bool = False

    def owner_filter(self, source: Source) -> Q | None:
        """The rows of ``source`` in the scope; None when none of its rows are."""
        if source.kind not in self.kinds:
            return None
        if source.owner is None:
            return Q() if self.everyone or self.team else None
        if self.everyone:
            return Q()
        parts = []
        if self.user_id is not None:
            parts.append(Q(**{source.owner: self.user_id}))
        if self.team:
            parts.append(Q(**{f"{source.owner}__isnull": True}))
        if not parts:
            return None
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q


def sees_everyone(user: User) -> bool:
    """A leader (or an administrator) sees every task, with whose it is."""
    return user.is_superuser or user.role in (Role.LEADER, Role.ADMIN)


def scope_for(user: User) -> Scope:
    """The tasks a user's own list holds: a leader's is everyone's."""
    if sees_everyone(user):
        return Scope(kinds=frozenset(Kind.ALL), everyone=True)
    kinds = COORDINATOR_KINDS if user.role == Role.DEMENTIA_COORDINATOR else CONSULTANT_KINDS
    return Scope(kinds=kinds, user_id=user.pk, team=True)


# --- reading -----------------------------------------------------------------------------------------------


@dataclass
class Tally:
    total: int = 0
    overdue: int = 0

    def add(self, total: int, overdue: int) -> None:
        self.total += total
        self.overdue += overdue


def _scoped(source: Source, scope: Scope, at: At) -> QuerySet[Any] | None:
    where = scope.owner_filter(source)
    return None if where is None else source.query(at).filter(where)


def tally(scope: Scope, at: At) -> dict[tuple[str, int | None], Tally]:
    """The number of tasks (and of overdue ones) by kind and owner (None: the team's); one aggregate
    query a source."""
    counts: dict[tuple[str, int | None], Tally] = {}
    for source in SOURCES:
        rows = _scoped(source, scope, at)
        if rows is None:
            continue
        what = source.per or "pk"
        distinct = source.per is not None
        total = Count(what, distinct=distinct)
        overdue = Count(what, distinct=distinct, filter=source.overdue(at))
        if source.owner is None:
            result = rows.aggregate(total=total, overdue=overdue)
            found = [(None, result["total"], result["overdue"])]
        else:
            found = list(
                rows.order_by()
                .values_list(source.owner)
                .annotate(total=total, overdue=overdue)
                .values_list(source.owner, "total", "overdue")
            )
        for owner, n, late in found:
            if n:
                counts.setdefault((source.kind, owner), Tally()).add(n, late)
    return counts


def by_kind(counts: dict[tuple[str, int | None], Tally]) -> dict[str, Tally]:
    """The counts by kind, in the order of :data:`Kind.ALL` (kinds without a task left out)."""
    kinds: dict[str, Tally] = {}
    for kind in Kind.ALL:
        for (k, _owner), t in counts.items():
            if k == kind:
                kinds.setdefault(kind, Tally()).add(t.total, t.overdue)
    return kinds


def by_owner(counts: dict[tuple[str, int | None], Tally]) -> dict[int | None, Tally]:
    owners: dict[int | None, Tally] = {}
    for (_kind, owner), t in counts.items():
        owners.setdefault(owner, Tally()).add(t.total, t.overdue)
    return owners


def _rows(source: Source, rows: QuerySet[Any], at: At, limit: int) -> list[Task]:
    if source.per is not None:
        grouped = (
            rows.order_by()
            .values(source.per, "citizen__name", "citizen__cpr")
            .annotate(offers=Count("pk"), due=Min("due_from"))
            .order_by(*source.order)[:limit]
        )
        return [source.task(row, at) for row in grouped]
    picked = rows.select_related(*source.related).order_by(*source.order)[:limit]
    return [source.task(row, at) for row in picked]


def tasks(scope: Scope, at: At, *, limit: int) -> dict[str, list[Task]]:
    """Up to ``limit`` tasks of each kind in the scope (kinds without a task left out), the soonest due
    first; one query a source."""
    found: dict[str, list[Task]] = {}
    for source in SOURCES:
        rows = _scoped(source, scope, at)
        if rows is None:
            continue
        found.setdefault(source.kind, []).extend(_rows(source, rows, at, limit))
    return {kind: sorted(found[kind], key=lambda t: t.due)[:limit] for kind in Kind.ALL if found.get(kind)}


def next_tasks(scope: Scope, at: At, *, count: int) -> list[Task]:
    """The ``count`` tasks due soonest, of every kind in the scope."""
    every = [task for kind_tasks in tasks(scope, at, limit=count).values() for task in kind_tasks]
    return sorted(every, key=lambda t: t.due)[:count]


def owner_names(ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the users with these ids (one query)."""
    wanted = {i for i in ids if i is not None}
    users = User.objects.filter(pk__in=wanted) if wanted else User.objects.none()
    return {user.pk: _name(user) for user in users}
