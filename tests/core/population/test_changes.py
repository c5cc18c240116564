"""Change detection between the stored population and a new extract (pure, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from fhb.core.population.changes import diff_population
from fhb.core.population.model import Citizen, Event, Population

ANNA = Citizen("0101401234", "Anna Aasen", date(1940, 1, 1), "F", "a1", "Egevej 1", "9800", "Hjørring")
BO = Citizen("0202401235", "Bo Aasen", date(1940, 2, 2), "M", "a1", "Egevej 1", "9800", "Hjørring")
HELP = Event("0101401234", "practical_help", date(2024, 1, 1))


def diff(stored, new, stored_events=(), events=(), gone_flags=None):  # type: ignore[no-untyped-def]
    by_cpr = {c.cpr: c for c in stored}
    flags = gone_flags or {c.cpr: True for c in stored}
    return diff_population(by_cpr, flags, list(stored_events), Population(tuple(new), tuple(events)))


def test_same_extract_is_empty() -> None:
    changes = diff([ANNA, BO], [ANNA, BO], [HELP], [HELP])
    assert changes.is_empty


def test_move_death_and_widowhood_are_named() -> None:
    moved = replace(
        ANNA, address_id="a2", street="Bøgevej 2", civil_status="E", civil_status_date=date(2026, 5, 1)
    )
    died = replace(BO, death_date=date(2026, 5, 1), civil_status="D")
    changes = diff([ANNA, BO], [moved, died])
    counts = changes.summary()["counts"]
    assert (counts["moved"], counts["died"], counts["widowed"], counts["civil_status_changed"]) == (
        1,
        1,
        1,
        2,
    )


def test_civil_status_d_without_a_date_of_death_states_a_death() -> None:
    stated = replace(BO, civil_status="D", civil_status_date=date(2026, 5, 3))
    changes = diff([ANNA, BO], [ANNA, stated])
    [change] = changes.changed_citizens
    assert change.died, "civil status D (død) is the extract stating a death, with or without death_date"
    assert change.death_day == date(2026, 5, 3), "the day civil status D began"
    dated = diff([ANNA, stated], [ANNA, replace(stated, death_date=date(2026, 5, 2))])
    assert not dated.changed_citizens[0].died, "a death already stated is not a new one when its date comes"


def test_changed_end_date_is_the_same_fact_ended() -> None:
    ended = replace(HELP, end=date(2026, 3, 31))
    changes = diff([ANNA], [ANNA], [HELP], [ended])
    assert not changes.new_events and not changes.removed_events
    assert [c.ended for c in changes.changed_events] == [True]


def test_two_same_day_facts_with_different_ends_are_both_kept() -> None:
    first = Event(ANNA.cpr, "hospital_admission", date(2026, 7, 4), date(2026, 7, 9))
    second = replace(first, end=date(2026, 7, 17))
    changes = diff([ANNA], [ANNA], [], [first, second])
    assert len(changes.new_events) == 2


def test_exact_duplicate_rows_count_once_and_keep_both_notes() -> None:
    a = replace(HELP, note="2 timer")
    b = replace(HELP, note="rengøring")
    changes = diff([ANNA], [ANNA], [], [a, b, a])
    assert [e.note for e in changes.new_events] == ["2 timer; rengøring"]


def test_gone_and_returned() -> None:
    changes = diff([ANNA, BO], [ANNA])
    assert changes.gone_cprs == [BO.cpr]
    back = diff([ANNA, BO], [ANNA, BO], gone_flags={ANNA.cpr: True, BO.cpr: False})
    assert back.returned_cprs == [BO.cpr]


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))
facts = st.builds(
    Event,
    cpr=st.sampled_from([ANNA.cpr, BO.cpr]),
    kind=st.sampled_from(["practical_help", "personal_care", "dementia"]),
    start=dates,
    end=st.none() | st.just(date(2027, 12, 31)),
)


@given(st.lists(facts, max_size=8), st.lists(facts, max_size=8))
def test_applying_the_change_set_gives_the_new_extract(before: list[Event], after: list[Event]) -> None:
    """Whatever the two fact lists, stored - removed - changed.before + changed.after + new == new set."""
    changes = diff([ANNA, BO], [ANNA, BO], sorted(set(before), key=repr), after)
    stored = {(e.cpr, e.kind, e.start, e.end) for e in set(before)}
    for e in changes.removed_events:
        stored.remove((e.cpr, e.kind, e.start, e.end))
    for c in changes.changed_events:
        stored.remove((c.before.cpr, c.before.kind, c.before.start, c.before.end))
        stored.add((c.after.cpr, c.after.kind, c.after.start, c.after.end))
    for e in changes.new_events:
        stored.add((e.cpr, e.kind, e.start, e.end))
    assert stored == {(e.cpr, e.kind, e.start, e.end) for e in after}
