"""The planning workflows, one function each: run the planner, book a free time, move a visit, set a
time by hand, and register an answer that comes with a new time.

Each is one durable transaction (:func:`fhb.planning.locks.one_consultant_time` inside it checks
PostgreSQL's no-overlap constraint before it ends) and is called from the edges with the standard in force
passed down. A refusal raises :class:`~fhb.planning.locks.BookingError` (or
:class:`~fhb.offers.answers.AnswerError`) and leaves nothing changed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.models import Role, User
from fhb.action_log import actor, log_after_commit
from fhb.core.letters.deadlines import new_time_problem
from fhb.core.letters.model import LetterKind
from fhb.core.planning.model import Plan
from fhb.core.planning.planner import plan_visits
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.letters.compose import NotReady, appointment
from fhb.letters.models import Letter
from fhb.letters.sending import send_visit_letter
from fhb.local_time import naive_local
from fhb.offers.answers import AnswerError, apply_answer, check_answer
from fhb.offers.models import Answer, Offer
from fhb.planning.booking import (
    daydate,
    hand_set_time,
    not_bookable,
    route_problems,
    slot_window,
    time_problems,
    waiting_partner,
)
from fhb.planning.calendars import travel_times, visit_minutes
from fhb.planning.locks import BookingError, lock_rows, one_consultant_time
from fhb.planning.models import Consultant, PlanRun
from fhb.planning.plan_runs import apply_plan, plan_request, summarise
from fhb.visits.models import Visit
from fhb.visits.rules import may


def run_plan(
    first: dt.date,
    weeks: int,
    *,
    standard: QualityStandard,
    user: User | None = None,
    seconds: float | None = None,
    seed: int = 0,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> tuple[PlanRun, Plan]:
    """Plan ``weeks`` weeks from ``first`` and (unless ``dry_run``) write the visits; returns the record.

    ``today`` (default: the local date) is the day the plan is laid: a visit whose letter is still to be
    sent goes no sooner than the standard's ``letter_notice_days`` after it.

    The search runs outside any transaction; what it found is written in one. A colleague who booked a time
    meanwhile makes the write fail as a whole (:class:`BookingError`): nothing of the plan is stored.
    """
    if not 1 <= weeks <= 26:
        raise ValueError(f"weeks must be 1..26 (got {weeks})")
    last = first + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    today = timezone.localdate() if today is None else today
    request, needs = plan_request(first, last, standard, today=today)
    search_s = settings.FHB_PLAN_SECONDS if seconds is None else seconds
    plan = plan_visits(request, travel_times(), seconds=search_s, seed=seed)
    run = PlanRun(first=first, last=last, seconds=search_s, user=user)
    try:
        with transaction.atomic(durable=True), one_consultant_time():
            changes = {"created": 0, "moved": 0, "removed": 0} if dry_run else apply_plan(plan, needs)
            run.summary = summarise(plan, needs, changes, dry_run=dry_run)
            if not dry_run:
                run.save()
                log_after_commit(
                    "Plan %s (%s-%s) lagt af %s: %s nye, %s flyttede, %s fjernede besøg",
                    run.pk,
                    first,
                    last,
                    actor(user),
                    changes["created"],
                    changes["moved"],
                    changes["removed"],
                )
    except BookingError as error:
        raise BookingError(
            _("Planen blev ikke gemt: en kollega bookede et besøg, mens planen blev lagt. Læg planen igen.")
        ) from error
    return run, plan


def book_slot(
    offer: Offer,
    consultant: Consultant,
    start: dt.datetime,
    *,
    today: dt.date,
    standard: QualityStandard,
) -> Visit:
    """Book a visit for ``offer`` (and a waiting spouse's) at ``start`` with ``consultant``, agreed with the
    citizen, so fixed. The time is checked again: another booking may have taken it since it was shown.

    The check and the write are one transaction holding the consultant's and the offers' rows, so of two
    colleagues booking her same time (or the same offer) at once, the second waits and is then told why the
    time is gone; on PostgreSQL the exclusion constraint stands behind that.
    """
    point = offer.citizen.dwelling.point
    if point is None:
        raise BookingError(_("Borgerens bolig mangler koordinater."))
    first, last = slot_window(offer, today)
    if not first <= naive_local(start).date() <= last:
        raise BookingError(
            _("Tidspunktet skal ligge fra %(first)s til %(last)s.")
            % {"first": daydate(first), "last": daydate(last)}
        )
    partner = waiting_partner(offer)
    with transaction.atomic(durable=True), one_consultant_time():
        lock_rows(consultant, [offer, partner] if partner else [offer])
        offer.refresh_from_db(fields=["status", "decision", "reply"])  # re-read now the row is held
        problem = not_bookable(offer)
        if problem:
            raise BookingError(problem)
        partner = waiting_partner(offer)  # again, now the rows are held: the spouse may have a visit by now
        offers = [offer, partner] if partner else [offer]
        end = start + dt.timedelta(minutes=visit_minutes(offers, standard))
        problems = time_problems(consultant, start, end, standard=standard) or route_problems(
            consultant, start, end, point, standard
        )
        if problems:
            raise BookingError(*problems)
        visit = Visit(start=start, end=end, consultant_id=consultant.user_id, fixed=True)
        save_with_reason(visit, _("Aftalt med borgeren"))
        visit.offers.set(offers)
        log_after_commit("Besøg %s booket til tilbud %s", visit.pk, [o.pk for o in offers])
    return visit


def move_visit(
    visit: Visit,
    consultant: Consultant,
    start: dt.datetime,
    *,
    today: dt.date,
    standard: QualityStandard,
    user: User | None = None,
    reason: str = "",
) -> list[Letter]:
    """Move a planned visit by hand to ``start`` with ``consultant``; it keeps its length and becomes fixed.

    A consultant moves her own visits; a leader moves any (:func:`fhb.visits.rules.may`). Giving the visit
    to another consultant is kept with who, when, from whom and to whom; a consultant who gives hers away
    must say why (``reason``).

    A citizen who was told the old time in a letter (one not cancelled) gets a new-time letter, queued the
    way a citizen's "another time" answer does it (:func:`fhb.letters.sending.send_visit_letter`); a change
    of consultant alone sends none. Raises :class:`BookingError` (nothing changed) when the time cannot be
    used, also when a colleague has just taken it, and :class:`fhb.letters.compose.NotReady` when the letter
    cannot be written, or cannot reach the citizen before the new day
    (:func:`fhb.core.letters.deadlines.new_time_problem`: she must be called; nothing changed).
    """
    if visit.status != Visit.Status.PLANNED:
        raise BookingError(
            _("Kun planlagte besøg kan flyttes; dette besøg er %(status)s.")
            % {"status": visit.get_status_display().lower()}
        )
    if not may(user, "move", visit):
        raise BookingError(_("Kun besøgets egen konsulent eller en leder kan flytte besøget."))
    reassigned = visit.consultant_id != consultant.user_id
    if reassigned and user is not None and not user.has_role(Role.LEADER) and not reason.strip():
        raise BookingError(_("Skriv, hvorfor besøget gives til en anden konsulent."))
    why = _("Flyttet i hånden i planlægningen")
    if reassigned:
        why = _("Givet fra %(before)s til %(after)s af %(who)s") % {
            "before": (visit.consultant.get_full_name() or visit.consultant.get_username())
            if visit.consultant
            else _("ingen"),
            "after": consultant,
            "who": actor(user),
        }
        why += f": {reason.strip()}" if reason.strip() else "."
    end = start + (visit.end - visit.start)
    new_time = start != visit.start
    told = visit.letters.exclude(status=Letter.Status.CANCELLED).exists()
    if told and new_time:
        late = new_time_problem(today, naive_local(start).date(), standard.deadlines)
        if late is not None:
            raise NotReady(late)
    try:
        with transaction.atomic(durable=True), one_consultant_time():
            lock_rows(consultant)
            problems = time_problems(consultant, start, end, standard=standard, exclude=visit)
            if problems:
                raise BookingError(*problems)
            previous = appointment(visit)
            visit.start, visit.end, visit.consultant_id = start, end, consultant.user_id
            visit.fixed = True
            save_with_reason(visit, why, update_fields=["start", "end", "consultant", "fixed"])
            log_after_commit("Besøg %s flyttet af %s", visit.pk, actor(user))
            if told and new_time:
                return send_visit_letter(
                    LetterKind.NEW_TIME, visit, today=today, standard=standard, user=user, previous=previous
                )
    except Exception:
        visit.refresh_from_db()
        raise
    return []


@transaction.atomic(durable=True)
def set_visit_time(
    offer: Offer,
    start: dt.datetime,
    *,
    consultant: User,
    proposed: bool,
    standard: QualityStandard,
) -> Visit:
    """Give an open offer without a planned visit a visit at a time agreed by hand (the planner does this
    for most offers); ``proposed``: the letter proposes the time rather than sets it. The time is fixed:
    the planner never moves it."""
    if not offer.is_open:
        raise BookingError(_("tilbuddet er ikke åbent."))
    if offer.visits.filter(status=Visit.Status.PLANNED).exists():
        raise BookingError(_("Tilbuddet har allerede et planlagt besøg; registrér borgerens ønske som svar."))
    minutes = offer.duration_min or standard.visit.duration_min
    visit = Visit(
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        proposed=proposed,
        consultant=consultant,
        fixed=True,
    )
    hand_set_time(visit, [offer], reason=_("Tidspunkt sat i hånden"))
    log_after_commit("Besøg %s sat i hånden til tilbud %s af %s", visit.pk, offer.pk, actor(consultant))
    return visit


def answer_with_time(
    offer: Offer,
    reply: str,
    new_start: dt.datetime,
    *,
    channel: str,
    received: dt.date,
    today: dt.date,
    standard: QualityStandard,
    note: str = "",
    user: User | None = None,
) -> Answer:
    """Register a *yes* or *another time* that names the time the citizen wants: the offer's planned visit
    moves there (or a visit is made), fixed, and a citizen who had a letter about the old time gets a
    new-time letter. Refused as a whole (:class:`AnswerError`) when the time cannot be used."""
    check_answer(offer, reply, standard)
    if reply not in (Offer.Reply.YES, Offer.Reply.OTHER_TIME):
        raise AnswerError(_("Et nyt tidspunkt kan kun angives ved ja eller et andet tidspunkt."))
    with transaction.atomic(durable=True):
        answer = apply_answer(
            offer,
            reply,
            channel=channel,
            received=received,
            today=today,
            standard=standard,
            note=note,
            user=user,
            new_time_follows=True,
        )
        visit = _book_answer(offer, new_start, standard, today=today, user=user)
        log_after_commit(
            "Tilbud %s: svar %s med tid i besøg %s registreret af %s", offer.pk, reply, visit.pk, actor(user)
        )
    return answer


def _book_answer(
    offer: Offer, start: dt.datetime, standard: QualityStandard, *, today: dt.date, user: User | None
) -> Visit:
    minutes = offer.duration_min or standard.visit.duration_min
    visit = offer.visits.filter(status=Visit.Status.PLANNED).first()
    try:
        if visit is None:
            end = start + dt.timedelta(minutes=minutes)
            new = Visit(start=start, end=end, consultant=user, fixed=True)
            return hand_set_time(new, [offer], reason=_("Aftalt med borgeren"))
        previous = appointment(visit)
        visit.start, visit.end, visit.fixed = start, start + dt.timedelta(minutes=minutes), True
        visit.proposed = False  # agreed with the citizen: no longer a proposal
        hand_set_time(visit, reason=_("Flyttet efter aftale med borgeren"))
    except BookingError as error:
        raise AnswerError(str(error)) from error
    if offer.letters.exclude(status="cancelled").exists():
        send_visit_letter(
            LetterKind.NEW_TIME, visit, today=today, standard=standard, user=user, previous=previous
        )
    return visit
