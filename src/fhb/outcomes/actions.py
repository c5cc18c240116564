"""Record how a visit went: held, closed door, declined at the door, or cancelled (by the citizen or by us).

Each outcome is one transaction that also does what the standard asks next:

- *held*: the actual length is kept; "need for another visit" creates an offer of its own (the standards'
  "efter individuelt vurderet behov"), with the next time when it was agreed at the door.
- *closed door*: the consultant ticks the standard's steps; the note left at the door is written, rendered
  and kept as delivered by hand, and where the standard says so (Hjørring) the journal gets the entry that
  the procedure was followed. That entry records only the procedure, so it needs no consent.
- *declined at the door*: registered as the citizen's "no" to each offer of the visit (its open work closes).
- *cancelled*: a new visit when a new time was agreed, a new-time or cancellation letter when the citizen
  is told by letter. Herning's rule "orienteres, senest samme dags morgen" means a letter tells the
  citizen only when it arrives on a day before the visit's: a letter sent today arrives after the
  standard's ``letter_delivery_working_days`` working days
  (:func:`fhb.core.letters.deadlines.letter_in_time_for_morning`); any later, it takes a phone call.

Only a planned visit gets an outcome; a recorded outcome is corrected by a person in the admin, not here.
Each ``record_*`` function is one durable transaction, called from the visit's page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.models import User
from fhb.action_log import actor, log_after_commit
from fhb.core.letters.deadlines import letter_arrives, letter_in_time_for_morning, new_time_problem
from fhb.core.letters.model import LetterKind
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.journal.models import JournalNote
from fhb.letters.compose import appointment
from fhb.letters.models import Letter
from fhb.letters.outbox import cancel_unsent
from fhb.letters.sending import closed_door_note, send_visit_letter
from fhb.offers.answers import apply_answer
from fhb.offers.models import Answer, Channel, Offer
from fhb.outcomes.driving import drive_minutes
from fhb.planning.booking import overlap_problems
from fhb.planning.locks import BookingError, one_consultant_time
from fhb.visits.models import CancelledBy, CitizenTold, Visit
from fhb.visits.rules import may

#: Outcomes the consultant drove to: their driving is kept on the visit (the statistics' hours in the car).
DRIVEN = (Visit.Status.HELD, Visit.Status.CLOSED_DOOR, Visit.Status.DECLINED)

#: How long an offer made for another visit stays open.
ANOTHER_VISIT_DAYS = 90


class OutcomeError(Exception):
    """The outcome cannot be recorded; the message says why, in Danish."""


@dataclass
class Recorded:
    """What recording an outcome did besides changing the visit."""

    letters: list[Letter] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    new_visit: Visit | None = None
    journal: JournalNote | None = None
    warnings: list[str] = field(default_factory=list)


def _check_may(visit: Visit, user: User | None, on_behalf: str) -> None:
    """The visit's own consultant records its outcome; a leader may record it for her, saying why."""
    if not may(user, "record_outcome", visit):
        raise OutcomeError(_("Kun besøgets egen konsulent eller en leder kan registrere udfaldet."))
    if user is not None and visit.consultant_id != user.pk and not on_behalf.strip():
        raise OutcomeError(_("Besøget er en kollegas: skriv, hvorfor du registrerer udfaldet for hende."))


def _check_open(visit: Visit) -> None:
    if visit.status != Visit.Status.PLANNED:
        raise OutcomeError(
            _("Besøget er allerede registreret som %(status)s.")
            % {"status": visit.get_status_display().lower()}
        )


def _check_begun(visit: Visit, now: dt.datetime) -> None:
    if now < visit.start:
        raise OutcomeError(
            _("Besøget begynder først %(at)s; udfaldet kan registreres fra besøgets start.")
            % {"at": f"{timezone.localtime(visit.start):%d.%m.%Y kl. %H.%M}"}
        )


@contextmanager
def _recording(
    visit: Visit, user: User | None, now: dt.datetime, *, begun: bool, on_behalf: str = ""
) -> Iterator[Visit]:
    """One outcome's transaction: the visit's row is locked and read again first, so that of two
    simultaneous outcomes (a double click, two phones) the second waits here, then finds the first's
    and changes nothing. Yields the locked visit; ``visit`` is read again afterwards."""
    _check_may(visit, user, on_behalf)
    with transaction.atomic(durable=True):
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        _check_open(locked)
        if begun:
            _check_begun(locked, now)
        yield locked
    visit.refresh_from_db()


def _reason(text: str, on_behalf: str, user: User | None) -> str:
    """The status reason, with why a leader recorded it for the consultant when she did."""
    if not on_behalf.strip():
        return text
    return _("%(text)s Registreret af %(who)s for konsulenten: %(why)s") % {
        "text": text,
        "who": actor(user),
        "why": on_behalf.strip(),
    }


def _finish(
    visit: Visit, status: str, reason: str, user: User | None, now: dt.datetime, fields: Sequence[str]
) -> None:
    if status in DRIVEN and visit.status == Visit.Status.PLANNED:
        visit.drive_minutes = drive_minutes(visit)
    if status in DRIVEN:
        fields = [*fields, "drive_minutes"]
    visit.status, visit.status_reason = status, reason
    visit.outcome_at, visit.outcome_by = now, user
    save_with_reason(
        visit, reason, update_fields=["status", "status_reason", "outcome_at", "outcome_by", *fields]
    )
    log_after_commit("Besøg %s: udfald %s registreret af %s", visit.pk, status, actor(user))


def told_by_morning(standard: QualityStandard) -> bool:
    """Whether the standard's ``[cancellation] notice`` asks that a citizen whose visit we cancel is told by
    the morning of the visit's day (``"morning_of_day"``, Herning); no ``[cancellation]``: no such rule."""
    return standard.cancellation is not None and standard.cancellation.notice == "morning_of_day"


def more_visits_allowed(visit: Visit, standard: QualityStandard) -> bool:
    """Whether a held visit may lead to another: one of its offers is in a group whose
    ``more_visits_by_assessment`` is true, or in no group of the standard (a granted request)."""
    for group_id in visit.offers.values_list("group", flat=True):
        try:
            if standard.group(group_id).more_visits_by_assessment:
                return True
        except KeyError:
            return True
    return False


def record_held(
    visit: Visit,
    *,
    minutes: int,
    standard: QualityStandard,
    another_visit: bool = False,
    next_start: dt.datetime | None = None,
    user: User | None = None,
    on_behalf: str = "",
    now: dt.datetime | None = None,
) -> Recorded:
    """The visit took place and lasted ``minutes``. ``another_visit`` (a new offer per citizen) only where
    the standard lets the consultant assess a need for more visits (:func:`more_visits_allowed`)."""
    now = now or timezone.now()
    if not 1 <= minutes <= 600:
        raise OutcomeError(_("Angiv besøgets faktiske varighed i minutter (1-600)."))
    if another_visit and not more_visits_allowed(visit, standard):
        raise OutcomeError(
            _(
                "Kvalitetsstandarden tilbyder ikke flere besøg efter vurdering i besøgets målgruppe; "
                "borgeren kan selv henvende sig om et nyt besøg."
            )
        )
    if next_start is not None and not another_visit:
        raise OutcomeError(_("Et tidspunkt for næste besøg kræver, at der er behov for endnu et besøg."))
    if next_start is not None and next_start <= visit.end:
        raise OutcomeError(_("Næste besøg skal ligge efter dette besøg."))
    done = Recorded()
    with _recording(visit, user, now, begun=True, on_behalf=on_behalf) as locked:
        locked.held_minutes, locked.another_visit = minutes, another_visit
        _finish(
            locked,
            Visit.Status.HELD,
            _reason(_("Besøget er gennemført."), on_behalf, user),
            user,
            now,
            ["held_minutes", "another_visit"],
        )
        if another_visit:
            done.offers = _offers_for_another_visit(locked)
            if next_start is not None:
                done.new_visit = _new_visit_like(locked, next_start, done.offers)
    return done


def _offers_for_another_visit(visit: Visit) -> list[Offer]:
    """An offer per citizen of ``visit`` for the further visit the consultant found a need for."""
    day = timezone.localdate(visit.start)
    made = []
    for offer in visit.offers.select_related("citizen"):
        new, _created = Offer.objects.get_or_create(
            citizen=offer.citizen,
            year=day.year,
            group=offer.group,
            trigger="another_visit",
            due_from=day,
            defaults={
                "trigger_date": day,
                "decision": Offer.Decision.OFFER,
                "letter": Offer.Letter.WITH_TIME,
                "response": Offer.Response.OPT_OUT,
                "due_to": day + dt.timedelta(days=ANOTHER_VISIT_DAYS),
                "reason": _("Behov for endnu et besøg vurderet ved besøget %(day)s.")
                % {"day": f"{day:%d.%m.%Y}"},
                "rule_id": offer.rule_id,
                "clause": offer.clause,
                "duration_min": offer.duration_min,
                "couple_cpr": offer.couple_cpr,
                "origin": Offer.Origin.VISIT,
                "offered_on": day,
            },
        )
        made.append(new)
    return made


def _new_visit_like(visit: Visit, start: dt.datetime, offers: Sequence[Offer]) -> Visit:
    """A fixed visit at ``start`` like ``visit`` (its length, consultant, interpreter); refused, naming the
    other visit, when it would overlap another of the consultant's (also one a colleague writes now)."""
    end = start + (visit.end - visit.start)
    if visit.consultant_id is not None:
        consultant = visit.consultant
        name = (consultant.get_full_name() or consultant.get_username()) if consultant is not None else ""
        problems = overlap_problems(visit.consultant_id, start, end, name=name)
        if problems:
            raise OutcomeError(_("Det nye tidspunkt kan ikke bruges: %(why)s") % {"why": " ".join(problems)})
    try:
        with one_consultant_time():
            new = Visit.objects.create(
                start=start, end=end, consultant=visit.consultant, interpreter=visit.interpreter, fixed=True
            )
            new.offers.set(offers)
    except BookingError as error:
        raise OutcomeError(_("Det nye tidspunkt kan ikke bruges: %(why)s") % {"why": error}) from error
    return new


def record_closed_door(
    visit: Visit,
    *,
    steps_done: Sequence[str],
    note_left_at: dt.datetime,
    standard: QualityStandard,
    user: User | None = None,
    signed_by: str = "",
    on_behalf: str = "",
    now: dt.datetime | None = None,
) -> Recorded:
    """Nobody opened: every step of the standard's procedure must have been followed, in its words."""
    now = now or timezone.now()
    procedure = standard.closed_door
    steps = list(procedure.steps) if procedure else []
    missing = [step for step in steps if step not in steps_done]
    if missing:
        raise OutcomeError(
            _("Proceduren ved lukket dør er ikke fulgt helt; mangler: %(steps)s")
            % {"steps": "; ".join(missing)}
        )
    if timezone.localdate(note_left_at) != timezone.localdate(visit.start):
        raise OutcomeError(_("Sedlen skal være lagt på besøgsdagen."))
    if not visit.start <= note_left_at <= now:
        raise OutcomeError(
            _("Sedlen kan ikke være lagt før besøgets start (%(start)s) eller senere end nu.")
            % {"start": f"{timezone.localtime(visit.start):%H.%M}"}
        )
    done = Recorded()
    with _recording(visit, user, now, begun=True, on_behalf=on_behalf) as locked:
        locked.closed_door_steps, locked.note_left_at = steps, note_left_at
        left = _("Lukket dør; seddel lagt %(at)s.") % {
            "at": f"{timezone.localtime(note_left_at):%d.%m.%Y kl. %H.%M}"
        }
        _finish(
            locked,
            Visit.Status.CLOSED_DOOR,
            _reason(left, on_behalf, user),
            user,
            now,
            ["closed_door_steps", "note_left_at"],
        )
        note = closed_door_note(
            locked, today=timezone.localdate(now), standard=standard, user=user, signed_by=signed_by
        )
        if note is not None:
            done.letters.append(note)
        if procedure is not None and procedure.journal_note:
            done.journal = _procedure_note(locked, steps, note_left_at, user)
    return done


def _procedure_note(
    visit: Visit, steps: Sequence[str], note_left_at: dt.datetime, user: User | None
) -> JournalNote | None:
    citizens = [o.citizen for o in visit.offers.select_related("citizen")]
    if not citizens:
        return None
    text = _("Proceduren ved lukket dør er fulgt (besøget %(visit)s): %(steps)s. Seddel lagt %(at)s.") % {
        "visit": f"{timezone.localtime(visit.start):%d.%m.%Y kl. %H.%M}",
        "steps": "; ".join(steps),
        "at": f"{timezone.localtime(note_left_at):%d.%m.%Y kl. %H.%M}",
    }
    written = None
    for citizen in citizens:
        written = JournalNote.objects.create(
            citizen=citizen,
            visit=visit,
            kind=JournalNote.Kind.PROCEDURE,
            text=text,
            written_by=user,
        )
    return written


def record_declined(
    visit: Visit,
    *,
    standard: QualityStandard,
    note: str = "",
    user: User | None = None,
    on_behalf: str = "",
    now: dt.datetime | None = None,
) -> Recorded:
    """The citizen declined the visit at the door: a "no" to each offer of the visit."""
    now = now or timezone.now()
    with _recording(visit, user, now, begun=True, on_behalf=on_behalf) as locked:
        offers = list(locked.offers.all())
        driven = drive_minutes(locked)  # before the "no" takes the visit off the day's route
        for offer in offers:
            if offer.is_open:
                apply_answer(
                    offer,
                    Offer.Reply.NO,
                    channel=Channel.IN_PERSON,
                    received=timezone.localdate(now),
                    today=timezone.localdate(now),
                    standard=standard,
                    note=note or _("Afslået ved døren."),
                    user=user,
                )
        locked.refresh_from_db()
        if locked.status == Visit.Status.PLANNED:  # no open offer closed it
            locked.status = Visit.Status.DECLINED
        locked.drive_minutes = driven
        _finish(
            locked, locked.status, _reason(note or _("Afslået ved døren."), on_behalf, user), user, now, []
        )
    return Recorded()


def record_cancelled(
    visit: Visit,
    *,
    by: str,
    told: str,
    reason: str,
    standard: QualityStandard,
    new_start: dt.datetime | None = None,
    user: User | None = None,
    on_behalf: str = "",
    now: dt.datetime | None = None,
) -> Recorded:
    """The visit will not take place at its time: cancelled by the citizen or by us (also before it)."""
    now = now or timezone.now()
    if by not in CancelledBy.values or told not in CitizenTold.values:
        raise OutcomeError(_("Angiv, hvem der aflyser, og hvordan borgeren er orienteret."))
    if not reason.strip():
        raise OutcomeError(_("Skriv, hvorfor besøget aflyses."))
    if new_start is not None and new_start <= now:
        raise OutcomeError(_("Det nye tidspunkt skal ligge i fremtiden."))
    today = timezone.localdate(now)
    notice = standard.cancellation
    visit_day = timezone.localdate(visit.start)
    by_letter_too_late = not letter_in_time_for_morning(today, visit_day, standard.deadlines)
    if (
        by == CancelledBy.US
        and told == CitizenTold.LETTER
        and told_by_morning(standard)
        and by_letter_too_late
    ):
        raise OutcomeError(
            _(
                "Et brev når ikke frem i tide: borgeren skal orienteres senest samme dags morgen, og et brev "
                "sendt i dag er først fremme %(arrives)s (besøget er %(day)s). Ring til borgeren, og "
                "registrér opkaldet."
            )
            % {
                "arrives": f"{letter_arrives(today, standard.deadlines):%d.%m.%Y}",
                "day": f"{visit_day:%d.%m.%Y}",
            }
        )
    # We move the visit and write to her (a time the citizen gave when she cancelled needs no letter in time).
    if by == CancelledBy.US and new_start is not None and told == CitizenTold.LETTER:
        late = new_time_problem(today, timezone.localtime(new_start).date(), standard.deadlines)
        if late is not None:
            raise OutcomeError(late)
    done = Recorded()
    with _recording(visit, user, now, begun=False, on_behalf=on_behalf) as locked:
        visit = locked
        previous = appointment(visit)
        visit.cancelled_by, visit.citizen_told = by, told
        _finish(
            visit,
            Visit.Status.CANCELLED,
            _reason(reason, on_behalf, user),
            user,
            now,
            ["cancelled_by", "citizen_told"],
        )
        # A letter about the old time that has not gone out yet must not go out now.
        cancel_unsent(Letter.objects.filter(visit=visit), reason)
        offers = list(visit.offers.all())
        if by == CancelledBy.CITIZEN:
            for offer in offers:
                Answer.objects.create(
                    offer=offer,
                    reply=Offer.Reply.OTHER_TIME,
                    channel=Channel.PHONE if told == CitizenTold.PHONE else Channel.LETTER,
                    received=today,
                    note=reason,
                    user=user,
                )
        if new_start is not None:
            done.new_visit = _new_visit_like(visit, new_start, offers)
            if told == CitizenTold.LETTER:
                done.letters = send_visit_letter(
                    LetterKind.NEW_TIME,
                    done.new_visit,
                    today=today,
                    user=user,
                    previous=previous,
                    standard=standard,
                )
        elif told == CitizenTold.LETTER:
            done.letters = send_visit_letter(
                LetterKind.CANCELLATION, visit, today=today, user=user, reason=reason, standard=standard
            )
        if by == CancelledBy.US and notice is not None and notice.agree_new_visit and new_start is None:
            done.warnings.append(
                _("Kvalitetsstandarden siger, at der aftales et nyt besøg: giv borgeren en ny tid.")
            )
    return done
