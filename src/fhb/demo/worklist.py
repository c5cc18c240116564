"""The demo's open cases, so that "Mine opgaver" has work in every demo: the run's assessments given to
the demo consultants (the run came before the users), and referrals a consultant registered this week.

Every referral and name written here is made up; the citizens are the synthetic municipality's.
"""

from __future__ import annotations

from datetime import date, timedelta

from fhb.accounts.models import User
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.offers.assessment_actions import register_referral
from fhb.offers.assessments import choose_consultants, referral_age_problem, referral_groups
from fhb.offers.models import Assessment

#: Made-up referrals: who, their (made-up) name, and what it is about.
DEMO_REFERRALS = [
    (
        Assessment.ReferredBy.COLLEAGUE,
        "Hjemmesygeplejen (demo)",
        "Har mistet lysten til at komme ud efter en længere sygdom; spiser dårligt.",
        False,
    ),
    (
        Assessment.ReferredBy.RELATIVE,
        "Datter (demo)",
        "Er blevet mere ensom, efter at naboen flyttede; datteren er bekymret.",
        True,
    ),
    (
        Assessment.ReferredBy.GP,
        "Lægehuset (demo)",
        "Flere fald det sidste halve år; ønsker en snak om tryghed i hjemmet.",
        True,
    ),
]


def demo_worklist(standard: QualityStandard, today: date) -> None:
    """Give the open assessments to the demo consultants and register the demo's referrals."""
    unassigned = list(
        Assessment.objects.filter(outcome=Assessment.Outcome.PENDING, consultant__isnull=True).only(
            "pk", "citizen_id"
        )
    )
    chosen = choose_consultants({a.citizen_id for a in unassigned})
    for assessment in unassigned:
        assessment.consultant_id = chosen[assessment.citizen_id]
    if unassigned:
        Assessment.objects.bulk_update(unassigned, ["consultant"], batch_size=2000)
    consultant = User.objects.get(username="konsulent")
    made = 0
    groups = referral_groups(standard)
    if groups:
        group = groups[0]
        taken = set(Assessment.objects.values_list("citizen_id", flat=True))
        candidates = (
            Citizen.objects.in_extract().alive_on(today).exclude(pk__in=taken).order_by("pk").iterator()
        )
        for source, name, what, consent in DEMO_REFERRALS:
            for citizen in candidates:
                # The law's needs-based group is 65-81 whatever the group's own ages say.
                if 65 <= citizen.age_on(today) <= 81 and not referral_age_problem(citizen, group, today):
                    register_referral(
                        citizen,
                        group=group.id,
                        referred_by=source,
                        received=today - timedelta(days=2 + made),
                        today=today,
                        standard=standard,
                        what=what,
                        referrer_name=name,
                        consent=consent,
                        user=consultant,
                    )
                    made += 1
                    break
    mine = Assessment.objects.filter(outcome=Assessment.Outcome.PENDING, consultant=consultant).count()
    print(
        f"Vurderinger: {len(unassigned)} fordelt på konsulenterne, {made} henvisninger registreret; "
        f"{mine} åbne hos {consultant.get_full_name()}."
    )
