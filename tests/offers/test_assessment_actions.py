"""The assessments' workflows (fhb.offers.assessment_actions): referrals, tries, and the outcomes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from fhb.accounts.models import User
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import Citizen
from fhb.core.standard.schema import QualityStandard
from fhb.offers.assessment_actions import (
    record_declined,
    record_need,
    record_no_need,
    record_try,
    register_referral,
)
from fhb.offers.assessments import AssessmentError
from fhb.offers.models import Assessment, Offer
from fhb.standards.current import standard_named
from tests.citizens.builders import BASE, citizens_csv, person

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)
HERNING = standard_named("herning")
ISHOEJ = standard_named("ishoej")
AASE = "0101501234"  # 77 in 2027: inside the risk groups' 65-81
OLD = "0101421238"  # 85 in 2027


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    import_extract(ImportFile("citizens.csv", citizens_csv([*BASE, person(OLD, "Olga Ældre", "adr-8")])))
    return {
        "anna": make_user("consultant", "anna"),
        "bo": make_user("consultant", "bo"),
        "leder": make_user("leader", "leder"),
    }


def refer(
    user: User | None,
    standard: QualityStandard = HERNING,
    cpr: str = AASE,
    **given: Any,
) -> Assessment:
    values: dict[str, Any] = {
        "group": "risk",
        "referred_by": "gp",
        "received": TODAY - timedelta(days=3),
        "what": "Egen læge er bekymret efter et fald",
    }
    values.update(given)
    return register_referral(
        Citizen.objects.get(cpr=cpr), today=TODAY, standard=standard, user=user, **values
    )


def test_a_referral_is_given_to_the_consultant_who_registers_it(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    assert assessment.consultant == people["anna"] and assessment.is_open
    assert assessment.known_on == TODAY - timedelta(days=3) and assessment.deadline > assessment.known_on


def test_need_found_makes_an_offer_with_the_groups_letter(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    offer = record_need(
        assessment, reason="Ensom efter faldet", today=TODAY, standard=HERNING, user=people["anna"]
    )
    assessment.refresh_from_db()
    assert (offer.letter, offer.response) == (Offer.Letter.WITH_TIME, Offer.Response.OPT_OUT), (
        "Herning's risk group sends a letter with a time"
    )
    assert offer.decision == Offer.Decision.OFFER and offer.origin == Offer.Origin.ASSESSMENT
    assert assessment.outcome == Assessment.Outcome.NEED and assessment.offer == offer
    assert assessment.decided_by == people["anna"] and assessment.decided_on == TODAY


def test_a_chosen_letter_is_used_where_the_standard_gives_none(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"], standard=ISHOEJ)
    with pytest.raises(AssessmentError, match="Vælg, om brevet har et tidspunkt"):
        record_need(assessment, reason="Isoleret", today=TODAY, standard=ISHOEJ, user=people["anna"])
    assessment.refresh_from_db()
    assert assessment.is_open and not Offer.objects.exists(), "a missing choice makes nothing"
    offer = record_need(
        assessment,
        reason="Isoleret",
        letter="without_time",
        today=TODAY,
        standard=ISHOEJ,
        user=people["anna"],
    )
    assert (offer.letter, offer.response) == (Offer.Letter.WITHOUT_TIME, Offer.Response.OPT_IN)


def test_no_need_requires_a_reason(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    with pytest.raises(AssessmentError, match="hvorfor der ikke er behov"):
        record_no_need(assessment, reason="   ", today=TODAY, user=people["anna"])
    assessment.refresh_from_db()
    assert assessment.is_open
    record_no_need(assessment, reason="Har et godt netværk", today=TODAY, user=people["anna"])
    assessment.refresh_from_db()
    assert assessment.outcome == Assessment.Outcome.NO_NEED
    assert assessment.outcome_reason == "Har et godt netværk"


def test_the_third_try_ends_the_assessment_as_not_reached(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    assert HERNING.deadlines.contact_tries == 3
    ended = [
        record_try(
            assessment, note="", today=TODAY + timedelta(days=n), standard=HERNING, user=people["anna"]
        )
        for n in range(3)
    ]
    assessment.refresh_from_db()
    assert ended == [False, False, True]
    assert assessment.tries == 3 and assessment.outcome == Assessment.Outcome.NOT_REACHED


def test_a_try_keeps_its_note_in_the_history(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    record_try(assessment, note="Telefonsvarer", today=TODAY, standard=HERNING, user=people["anna"])
    reasons = list(assessment.history.values_list("history_change_reason", flat=True))
    assert "Forsøg 1 af 3: ikke truffet. Telefonsvarer" in reasons


def test_a_second_try_on_the_same_day_is_refused(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    record_try(assessment, note="", today=TODAY, standard=HERNING, user=people["anna"])
    with pytest.raises(AssessmentError, match="allerede registreret et forsøg i dag"):
        record_try(assessment, note="", today=TODAY, standard=HERNING, user=people["anna"])
    assessment.refresh_from_db()
    assert assessment.tries == 1


def test_a_decided_assessment_cannot_be_decided_again(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    record_declined(assessment, reason="", today=TODAY, user=people["anna"])
    for again in (
        lambda: record_need(
            assessment, reason="Alligevel", today=TODAY, standard=HERNING, user=people["anna"]
        ),
        lambda: record_no_need(assessment, reason="Alligevel", today=TODAY, user=people["anna"]),
        lambda: record_try(assessment, note="", today=TODAY, standard=HERNING, user=people["anna"]),
    ):
        with pytest.raises(AssessmentError, match="allerede afsluttet"):
            again()
    assessment.refresh_from_db()
    assert assessment.outcome == Assessment.Outcome.DECLINED and not Offer.objects.exists()


def test_a_colleague_may_not_decide_anothers_assessment_but_a_leader_may(people: dict[str, Any]) -> None:
    assessment = refer(people["anna"])
    with pytest.raises(AssessmentError, match="givet til en anden konsulent"):
        record_no_need(assessment, reason="Klarer sig", today=TODAY, user=people["bo"])
    assessment.refresh_from_db()
    assert assessment.is_open
    record_no_need(assessment, reason="Klarer sig", today=TODAY, user=people["leder"])
    assessment.refresh_from_db()
    assert assessment.outcome == Assessment.Outcome.NO_NEED and assessment.decided_by == people["leder"]


def test_a_relatives_referral_needs_the_citizens_consent(people: dict[str, Any]) -> None:
    with pytest.raises(AssessmentError, match="kræver borgerens samtykke"):
        refer(people["anna"], referred_by="relative", referrer_name="Datteren")
    assert not Assessment.objects.exists()
    assert refer(people["anna"], referred_by="relative", referrer_name="Datteren", consent=True).consent


def test_a_referral_received_tomorrow_is_refused(people: dict[str, Any]) -> None:
    with pytest.raises(AssessmentError, match="kan ikke være modtaget i fremtiden"):
        refer(people["anna"], received=TODAY + timedelta(days=1))
    assert not Assessment.objects.exists()


def test_a_referral_outside_the_groups_ages_is_refused_with_the_age(people: dict[str, Any]) -> None:
    with pytest.raises(AssessmentError) as refused:
        refer(people["anna"], cpr=OLD)
    assert str(refused.value) == "Olga Ældre er 85 år; målgruppen er for borgere på 65–81 år."
    assert not Assessment.objects.exists()


def test_a_referral_to_a_group_not_reached_by_need_is_refused(people: dict[str, Any]) -> None:
    with pytest.raises(AssessmentError, match="gives efter behov"):
        refer(people["anna"], group="age80")
    assert not Assessment.objects.exists()
