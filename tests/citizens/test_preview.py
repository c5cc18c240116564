"""The import's preview (nothing written) and its brake: an extract that leaves out more than
FHB_IMPORT_MAX_GONE_PERCENT of the citizens is stored only when a person confirms it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fhb.citizens.importer import ImportFile, parse_extract
from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun
from fhb.citizens.preview import Example, ImportPreview, PlanAtStake, TooManyGone, preview_extract
from fhb.offers.models import Offer
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv, person
from tests.citizens.plan_world import DAN, HANS, NEXT, PEOPLE, PETRA, TODAY, build, load

pytestmark = pytest.mark.django_db


def everything() -> tuple[Any, ...]:
    """What an import could touch: the citizens with every field, the runs, the offers, the visits and
    the history rows."""
    return (
        sorted(Citizen.objects.values_list()),
        ImportRun.objects.count(),
        sorted(Offer.objects.values_list("pk", "status", "withdrawn_reason")),
        sorted(Visit.objects.values_list("pk", "status", "status_reason")),
        Citizen.history.count(),
        Dwelling.history.count(),
        CareEvent.history.count(),
        Offer.history.count(),
        Visit.history.count(),
    )


def preview_of(people: list[dict[str, Any]]) -> ImportPreview:
    population = parse_extract(ImportFile("citizens.csv", citizens_csv(people)), None)
    return preview_extract(population, events_given=False, today=TODAY)


def test_preview_counts_the_changes_and_the_plan_at_stake_and_writes_nothing() -> None:
    build()
    before = everything()
    preview = preview_of(NEXT)
    assert everything() == before, "a preview must write nothing"
    counts = {k: v for k, v in preview.counts.items() if v}
    assert counts == {
        "new": 1,
        "moved": 1,
        "died": 1,
        "civil_status_changed": 1,
        "other_changes": 2,
        "gone": 3,
    }, counts
    assert (preview.stored_citizens, preview.extract_citizens, preview.gone) == (6, 4, 3)
    assert preview.gone_percent == 50
    assert preview.gone_at_stake == PlanAtStake(planned_visits=1, open_offers=2), (
        "Dan's visit from today on (not the past one nor the cancelled one) and the open offers of Dan and"
        " Petra (not Dan's exemption)"
    )
    assert preview.died_at_stake == PlanAtStake(planned_visits=1, open_offers=1), "Bent's share of the couple"


def test_examples_mask_the_cpr_number_and_hide_the_name_behind_address_protection() -> None:
    build()
    preview = preview_of(NEXT)
    gone = {e.cpr: e for e in preview.examples["gone"]}
    assert gone["040437-xxxx"] == Example(cpr="040437-xxxx", name="Dan Eksempelsen", protected=False)
    assert gone["050545-xxxx"] == Example(cpr="050545-xxxx", name="", protected=True), "Petra is protected"
    assert gone["060645-xxxx"].name == "", "Hans lives at Petra's protected address"
    assert preview.examples["new"] == (Example("070760-xxxx", "Eva Nysen", False),)
    text = json.dumps(preview.to_json(), ensure_ascii=False)
    for cpr in (DAN["cpr"], PETRA["cpr"], HANS["cpr"]):
        assert cpr not in text, "a preview shows no whole CPR number"
    assert "Petra" not in text and "Hemmelig" not in text


def test_preview_survives_json() -> None:
    build()
    preview = preview_of(NEXT)
    again = ImportPreview.from_json(json.loads(json.dumps(preview.to_json())))
    assert again == preview


def test_typed_confirmation_above_the_limit_only() -> None:
    build()
    preview = preview_of(NEXT)
    assert preview.confirmation_number == 3, "the number a person types is the gone count"
    assert preview.needs_typed_confirmation(5)
    assert preview.needs_typed_confirmation(49.9)
    assert not preview.needs_typed_confirmation(50), "exactly the limit is not more than it"
    assert not preview_of(PEOPLE).needs_typed_confirmation(0), "nobody gone"


def test_first_import_never_trips_the_brake() -> None:
    two = [person("0101501234", "Åse Testesen"), person("0202481235", "Bent Testesen")]
    assert not preview_of(two).needs_typed_confirmation(0)
    run = load(two)
    assert run.summary["counts"]["new"] == 2


def test_import_above_the_limit_raises_and_stores_nothing() -> None:
    world = build()
    before = everything()
    two_rows = [person("0101501234", "Åse Testesen"), person("0202481235", "Bent Testesen")]
    with pytest.raises(TooManyGone) as refused:
        load(two_rows, today=TODAY)
    assert everything() == before, "a refused extract stores nothing, and cancels nothing"
    assert refused.value.preview.gone == 4 and refused.value.max_gone_percent == 5
    assert "4 af de 6 borgere" in refused.value.message and "66,67 %" in refused.value.message
    assert refused.value.preview.gone_at_stake.planned_visits == 1
    world.dan_visit.refresh_from_db()
    assert world.dan_visit.status == Visit.Status.PLANNED


def test_the_typed_number_or_force_releases_the_brake() -> None:
    build()
    with pytest.raises(TooManyGone):
        load(NEXT, confirmed_gone=2)  # a number other than the one that would be gone
    assert ImportRun.objects.count() == 1
    run = load(NEXT, confirmed_gone=3)
    assert run.summary["counts"]["gone"] == 3
    load([*PEOPLE, NEXT[-1]])  # all back, and Eva
    assert load(NEXT, force=True).summary["counts"]["gone"] == 3


def test_the_limit_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    build()
    settings.FHB_IMPORT_MAX_GONE_PERCENT = 50
    assert load(NEXT).summary["counts"]["gone"] == 3, "3 of 6 is not more than 50 %"
