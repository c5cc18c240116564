"""The assessments' workflows, one durable transaction each: register a referral, record a try to reach
the citizen, and end an assessment (need found, no need, declined); give it to another consultant.

Need found makes an offer of the group's kind (origin *assessment*) that a later run never withdraws: the
consultant's judgement decided it. Not reached is recorded by the try that reaches the standard's number
of tries (``[deadlines] contact_tries``). Each action checks who may act (:mod:`fhb.offers.rules`) and that
the assessment is still open, holding its row, so a double click records one outcome.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from fhb.accounts.models import Role, User
from fhb.action_log import actor, log_after_commit
from fhb.citizens.models import Citizen
from fhb.core.assessment_deadline import assessment_deadline
from fhb.core.standard.schema import QualityStandard
from fhb.history import save_with_reason
from fhb.offers.assessments import (
    AssessmentError,
    choose_consultants,
    offer_letter_kind,
    referral_age_problem,
    referral_groups,
    referral_window,
)
from fhb.offers.models import Assessment, Offer
from fhb.offers.received import future_receipt
from fhb.offers.rules import may

#: How long an offer made after an assessment stays open at least (it may be planned and held in this time).
OFFER_OPEN_DAYS = 56


def _locked(assessment: Assessment, user: User | None) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("citizen").get(pk=assessment.pk)
    if not may(user, "decide", locked):
        raise AssessmentError(_("Vurderingen er givet til en anden konsulent; en leder kan flytte den."))
    if not locked.is_open:
        raise AssessmentError(
            _("Vurderingen er allerede afsluttet: %(outcome)s.") % {"outcome": locked.get_outcome_display()}
        )
    return locked


def _end(
    assessment: Assessment, outcome: str, reason: str, today: date, user: User | None, why: str
) -> Assessment:
    assessment.outcome, assessment.outcome_reason = outcome, reason
    assessment.decided_on, assessment.decided_by = today, user
    if assessment.consultant_id is None and user is not None and user.role == Role.CONSULTANT:
        assessment.consultant = user
    save_with_reason(assessment, why)
    log_after_commit("Vurdering %s afsluttet (%s) af %s", assessment.pk, outcome, actor(user))
    return assessment


@transaction.atomic(durable=True)
def register_referral(
    citizen: Citizen,
    *,
    group: str,
    referred_by: str,
    received: date,
    today: date,
    standard: QualityStandard,
    what: str,
    referrer_name: str = "",
    consent: bool = False,
    user: User | None = None,
) -> Assessment:
    """A colleague, a relative, the GP refers the citizen to a group reached by need: an assessment."""
    groups = {g.id: g for g in referral_groups(standard)}
    if group not in groups:
        raise AssessmentError(_("Vælg en målgruppe, der gives efter behov."))
    if referred_by not in Assessment.ReferredBy.values:
        raise AssessmentError(_("Angiv, hvem henvisningen kommer fra."))
    problem = future_receipt(_("Henvisningen"), received, today)
    if problem:
        raise AssessmentError(problem)
    if not what.strip():
        raise AssessmentError(_("Skriv kort, hvad henvisningen drejer sig om."))
    if referred_by == Assessment.ReferredBy.RELATIVE and not consent:
        raise AssessmentError(_("En henvisning fra pårørende kræver borgerens samtykke."))
    problem = referral_age_problem(citizen, groups[group], received)
    if problem:
        raise AssessmentError(problem)
    if Assessment.objects.filter(citizen=citizen, group=group, outcome=Assessment.Outcome.PENDING).exists():
        raise AssessmentError(
            _(
                "%(name)s har allerede en åben vurdering i denne målgruppe; "
                "skriv henvisningen som en note dér."
            )
            % {"name": citizen.name}
        )
    due_from, due_to = referral_window(received, standard)
    consultant = user if user is not None and user.role == Role.CONSULTANT else None
    assessment = Assessment.objects.create(
        citizen=citizen,
        year=received.year,
        group=group,
        what=what.strip()[:300],
        known_on=received,
        deadline=assessment_deadline(received, due_from, due_to, standard.deadlines),
        due_to=due_to,
        origin=Assessment.Origin.REFERRAL,
        referred_by=referred_by,
        referrer_name=referrer_name.strip(),
        consent=consent,
        consultant_id=consultant.pk if consultant else choose_consultants([citizen.pk])[citizen.pk],
        created_by=user,
    )
    log_after_commit("Henvisning %s registreret af %s", assessment.pk, actor(user))
    return assessment


@transaction.atomic(durable=True)
def record_need(
    assessment: Assessment,
    *,
    reason: str,
    today: date,
    standard: QualityStandard,
    letter: str = "",
    user: User | None = None,
) -> Offer:
    """Need found: an offer of the group's kind (the letter the standard gives, else the one chosen)."""
    assessment = _locked(assessment, user)
    if not reason.strip():
        raise AssessmentError(_("Skriv, hvilket behov vurderingen fandt."))
    given, response = offer_letter_kind(assessment, standard)
    letter = given or letter
    if letter not in Offer.Letter.values:
        raise AssessmentError(_("Vælg, om brevet har et tidspunkt, eller borgeren selv skal kontakte os."))
    if not response:
        response = Offer.Response.OPT_OUT if letter == Offer.Letter.WITH_TIME else Offer.Response.OPT_IN
    rule_id = assessment.decision.rule_id if assessment.decision is not None else assessment.group
    clause = assessment.decision.clause if assessment.decision is not None else ""
    offer = Offer.objects.create(
        citizen=assessment.citizen,
        year=assessment.year,
        group=assessment.group,
        trigger=assessment.trigger,
        trigger_date=assessment.event_date,
        decision=Offer.Decision.OFFER,
        letter=letter,
        response=response,
        due_from=today,
        due_to=max(assessment.due_to, today + timedelta(days=OFFER_OPEN_DAYS)),
        reason=_("Behov fundet ved vurdering: %(reason)s") % {"reason": reason.strip()},
        rule_id=rule_id,
        clause=clause,
        duration_min=standard.visit.duration_min,
        origin=Offer.Origin.ASSESSMENT,
    )
    assessment.offer = offer
    _end(assessment, Assessment.Outcome.NEED, reason.strip(), today, user, _("Behov fundet"))
    return offer


@transaction.atomic(durable=True)
def record_no_need(assessment: Assessment, *, reason: str, today: date, user: User | None = None) -> None:
    """No need found; the reason is kept and shown where the citizen's decisions are explained."""
    assessment = _locked(assessment, user)
    if not reason.strip():
        raise AssessmentError(_("Skriv, hvorfor der ikke er behov for et besøg."))
    _end(assessment, Assessment.Outcome.NO_NEED, reason.strip(), today, user, _("Intet behov"))


@transaction.atomic(durable=True)
def record_declined(assessment: Assessment, *, reason: str, today: date, user: User | None = None) -> None:
    """The citizen does not want a visit."""
    assessment = _locked(assessment, user)
    _end(
        assessment,
        Assessment.Outcome.DECLINED,
        reason.strip() or _("Borgeren takker nej."),
        today,
        user,
        _("Borgeren takker nej"),
    )


@transaction.atomic(durable=True)
def record_try(
    assessment: Assessment, *, note: str, today: date, standard: QualityStandard, user: User | None = None
) -> bool:
    """A try to reach the citizen that failed; the standard's last try ends the assessment as not reached.
    Returns True when it did."""
    assessment = _locked(assessment, user)
    if assessment.last_try_on == today and assessment.tries:
        raise AssessmentError(_("Der er allerede registreret et forsøg i dag; prøv igen en anden dag."))
    assessment.tries += 1
    assessment.last_try_on = today
    most = standard.deadlines.contact_tries
    if assessment.tries >= most:
        reason = _("Ikke truffet efter %(tries)s forsøg.") % {"tries": assessment.tries}
        if note.strip():
            reason += " " + note.strip()
        _end(assessment, Assessment.Outcome.NOT_REACHED, reason, today, user, reason)
        return True
    tried = _("Forsøg %(n)s af %(most)s: ikke truffet") % {"n": assessment.tries, "most": most}
    # The note is kept on the try's history row (the assessment has no other place for it).
    if note.strip():
        tried += ". " + note.strip()
    save_with_reason(assessment, tried, update_fields=["tries", "last_try_on"])
    return False


@transaction.atomic(durable=True)
def reassign(assessment: Assessment, *, consultant: User, user: User | None = None) -> None:
    """Give the assessment to another consultant."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not may(user, "reassign", locked):
        raise AssessmentError(_("Kun en leder eller vurderingens egen konsulent kan flytte den."))
    if not consultant.is_active or consultant.role != Role.CONSULTANT:
        raise AssessmentError(_("Vurderingen kan kun gives til en aktiv forebyggende konsulent."))
    locked.consultant = consultant
    save_with_reason(locked, _("Givet til %(name)s") % {"name": consultant}, update_fields=["consultant"])
