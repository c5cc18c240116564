"""The offers' workflows, one function each: start a run, answer an offer, register and decide a request,
take over a handed-over citizen, close the work of a citizen missing from the extract.

Each is one durable transaction (it cannot run inside another: a caller that needs the step inside a
larger workflow uses the building block the action wraps, e.g. :func:`fhb.offers.answers.apply_answer`),
writes its history rows with a reason, and is called from the edges (pages, commands, jobs) with the
standard in force passed down.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.action_log import actor, log_after_commit
from fhb.citizens.actions import StillInExtract
from fhb.citizens.models import Citizen
from fhb.core.eligibility import evaluate
from fhb.core.standard.approval import approved_on
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.offers.answers import apply_answer
from fhb.offers.assessments import assessments_from_run
from fhb.offers.closing import withdraw_for_citizens
from fhb.offers.models import Answer, EligibilityRun, Offer, Request
from fhb.offers.population import stored_population
from fhb.offers.requests import REQUEST_GROUP, RequestError, check_may_grant, check_received, deadline
from fhb.offers.runs import store_decisions, summarise


def start_run(
    year: int, kind: str, *, on: date, standard: QualityStandard, user: User | None = None
) -> EligibilityRun:
    """Evaluate ``standard`` for ``year`` on the stored population and store the result."""
    population = stored_population()
    decisions = [d for d in evaluate(standard, population, year, on) if d.due_from and d.due_to]
    with transaction.atomic(durable=True):
        run = EligibilityRun.objects.create(
            year=year,
            on=on,
            kind=kind,
            standard=standard.id,
            standard_approved=f"{standard.approval.body} {approved_on(standard.approval)}",
            user=user,
        )
        new, withdrawn, changed = store_decisions(run, decisions, population, standard)
        assessments = assessments_from_run(year, on, standard, user)
        run.summary = summarise(run, new, withdrawn, changed)
        run.summary["assessments"] = len(assessments)
        run.save(update_fields=["summary"])
        log_after_commit(
            "Kørsel %s (%s, planår %s) af %s: %s nye, %s ændrede, %s bortfaldne tilbud",
            run.pk,
            kind,
            year,
            actor(user),
            len(new),
            len(changed),
            len(withdrawn),
        )
    return run


@transaction.atomic(durable=True)
def register_answer(
    offer: Offer,
    reply: str,
    *,
    channel: str,
    received: date,
    today: date,
    standard: QualityStandard,
    note: str = "",
    user: User | None = None,
) -> Answer:
    """Store the citizen's answer and change the offer, its visit and its letters as the answer says
    (:mod:`fhb.offers.answers`). An answer naming a new time is
    :func:`fhb.planning.actions.answer_with_time`. One received after ``today`` is refused."""
    answer = apply_answer(
        offer, reply, channel=channel, received=received, today=today, standard=standard, note=note, user=user
    )
    log_after_commit("Tilbud %s: svar %s registreret af %s", offer.pk, reply, actor(user))
    return answer


@transaction.atomic(durable=True)
def register_request(
    citizen: Citizen,
    *,
    received: date,
    came_from: str,
    channel: str,
    today: date,
    standard: QualityStandard,
    consent: bool = False,
    contact_name: str = "",
    note: str = "",
    user: User | None = None,
) -> Request:
    """Register a request for a visit, if the standard lets ``came_from`` ask (with the citizen's consent
    when someone else asks); its deadline is the standard's. One received after ``today`` is refused."""
    check_received(received, today)
    allowed = standard.requests.who_may_ask if standard.requests is not None else ["citizen"]
    if came_from not in allowed:
        label = Request.From(came_from).label
        raise RequestError(
            _("Kvalitetsstandarden giver ikke mulighed for henvendelser fra: %(who)s.") % {"who": label}
        )
    if came_from != Request.From.CITIZEN and not consent:
        raise RequestError(_("En henvendelse fra pårørende eller personale kræver borgerens samtykke."))
    request = Request.objects.create(
        citizen=citizen,
        received=received,
        came_from=came_from,
        channel=channel,
        consent=consent or came_from == Request.From.CITIZEN,
        contact_name=contact_name,
        note=note,
        deadline=deadline(received, standard),
        user=user,
    )
    log_after_commit("Henvendelse %s registreret af %s", request.pk, actor(user))
    return request


@transaction.atomic(durable=True)
def decide_request(
    request: Request,
    *,
    granted: bool,
    reason: str,
    today: date,
    standard: QualityStandard,
    user: User | None = None,
) -> Request:
    """Grant (an offer is created) or refuse the request; the reason is required either way."""
    if request.status != Request.Status.PENDING:
        raise RequestError(_("Henvendelsen er allerede afgjort."))
    if not reason.strip():
        raise RequestError(_("Skriv begrundelsen for afgørelsen."))
    if granted:
        check_may_grant(request.citizen, today, standard)
        clause = standard.requests.clause if standard.requests is not None else ""
        request.offer = Offer.objects.create(
            citizen=request.citizen,
            year=today.year,
            group=REQUEST_GROUP,
            decision=Offer.Decision.OFFER,
            letter=Offer.Letter.WITH_TIME,
            response=Offer.Response.OPT_OUT,
            due_from=today,
            due_to=max(today, request.deadline or today) + timedelta(days=90),
            reason=_("Bevilget efter henvendelse: %(reason)s") % {"reason": reason},
            rule_id=standard.requests.id if standard.requests is not None else REQUEST_GROUP,
            clause="\n".join(clause) if isinstance(clause, list) else clause,
            duration_min=standard.visit.duration_min,
            origin=Offer.Origin.REQUEST,
            offered_on=today,
        )
    request.status = Request.Status.GRANTED if granted else Request.Status.REFUSED
    request.decision_reason, request.decided_on, request.decided_by = reason, today, user
    request.save()
    log_after_commit("Henvendelse %s afgjort (%s) af %s", request.pk, request.status, actor(user))
    return request


@transaction.atomic(durable=True)
def take_over(offer: Offer, *, coordinator: User, today: date) -> None:
    """The dementia coordinator takes a handed-over citizen's offer: it is then theirs."""
    offer.coordinator, offer.taken_on = coordinator, today
    save_with_reason(offer, _("Overtaget af demenskoordinatoren"), update_fields=["coordinator", "taken_on"])
    log_after_commit("Tilbud %s overtaget af demenskoordinator %s", offer.pk, actor(coordinator))


#: The longest note a leader may give with a decision about a citizen missing from the extract.
MISSING_NOTE_LENGTH = 300


@transaction.atomic(durable=True)
def close_for_missing_citizen(citizen: Citizen, *, user: User, note: str = "") -> dict[str, int]:
    """The leader's decision for a citizen missing from the latest extract: withdraw her active offers and
    cancel their planned visits, unsent letters and open follow-ups, as a death does (the same code path,
    :func:`fhb.offers.closing.withdraw_for_citizens`), with the reason and the leader as the one who
    decided. Returns the counts by kind of work. Raises :class:`fhb.citizens.actions.StillInExtract` when
    she is in the extract (again), and :class:`ValueError` (a Danish message) for a note that is too long.
    """
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if citizen.in_extract:
        raise StillInExtract(
            _("%(name)s er med i seneste udtræk igen; intet er aflyst.") % {"name": citizen.name}
        )
    note = note.strip()
    if len(note) > MISSING_NOTE_LENGTH:
        raise ValueError(
            _("Noten er på %(length)s tegn; den må højst være på %(most)s.")
            % {"length": len(note), "most": MISSING_NOTE_LENGTH}
        )
    since = (
        _(" siden indlæsning %(run)s") % {"run": citizen.missing_since_id}
        if citizen.missing_since_id is not None
        else ""
    )
    reason = _("Borgeren er ikke i udtrækket%(since)s; lukket af %(leader)s") % {
        "since": since,
        "leader": user.get_full_name() or user.get_username(),
    }
    if note:
        reason += f": {note}"
    counts = withdraw_for_citizens([citizen.cpr], reason + ".", user=user)
    log_after_commit(
        "Borger %s ikke i udtrækket: %s lukkede %s tilbud og %s besøg",
        citizen.pk,
        actor(user),
        counts.get("offers", 0),
        counts.get("visits", 0),
    )
    return counts
