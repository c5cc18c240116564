"""The dates a letter sets: notice before the visit, a reply-by date on a working day, and delivery."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fhb.core.letters.deadlines import (
    letter_arrives,
    letter_in_time_for_morning,
    new_time_problem,
    notice_problem,
    reply_by,
)
from fhb.core.standard.schema import Deadlines
from fhb.core.working_days import danish_holidays, working_days_between

DEFAULT = Deadlines()
DAYS = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def deadlines(draw: st.DrawFn) -> Deadlines:
    notice = draw(st.integers(min_value=2, max_value=40))
    reply = draw(st.integers(min_value=1, max_value=min(notice - 1, 30)))
    delivery = draw(st.integers(min_value=0, max_value=10))
    return Deadlines(
        letter_notice_days=notice, reply_days_before_visit=reply, letter_delivery_working_days=delivery
    )


def working(day: dt.date) -> bool:
    """A weekday that is not a Danish public holiday, asked of the holiday list directly."""
    return day.weekday() < 5 and day not in danish_holidays(day.year)


@given(DAYS, st.integers(min_value=-5, max_value=60), deadlines())
def test_a_letter_is_refused_or_its_reply_by_is_a_working_day_in_time(
    letter: dt.date, gap: int, limits: Deadlines
) -> None:
    visit = letter + dt.timedelta(days=gap)
    problem = notice_problem(letter, visit, limits)
    answer_by = reply_by(letter, visit, limits)
    if problem is not None:
        assert "Find et" in problem and f"{visit:%d.%m.%Y}" in problem, problem
        assert gap < limits.letter_notice_days or answer_by is None, "refused for no reason"
        return
    assert gap >= limits.letter_notice_days, "the notice is kept"
    assert answer_by is not None
    assert working(answer_by), f"{answer_by} is a weekend day or a holiday"
    assert letter < answer_by, "strictly after the letter's date"
    latest = visit - dt.timedelta(days=limits.reply_days_before_visit)
    assert answer_by <= latest, "at least reply_days_before_visit before the visit"
    assert not any(
        working(answer_by + dt.timedelta(days=k)) for k in range(1, (latest - answer_by).days + 1)
    ), "the latest working day that keeps the rule, not an earlier one"


def test_the_reply_by_date_before_easter_skips_the_holidays_and_the_weekend() -> None:
    # Visit Tuesday 30 March 2027: three days before is Saturday 27; Good Friday and Maundy Thursday are
    # holidays, so the citizen answers by Wednesday 24 March.
    assert reply_by(dt.date(2027, 3, 1), dt.date(2027, 3, 30), DEFAULT) == dt.date(2027, 3, 24)
    # Visit Thursday 1 April: three days before is Easter Monday.
    assert reply_by(dt.date(2027, 3, 1), dt.date(2027, 4, 1), DEFAULT) == dt.date(2027, 3, 24)
    # An ordinary week: visit Friday 12 March, answer by Tuesday 9 March.
    assert reply_by(dt.date(2027, 3, 1), dt.date(2027, 3, 12), DEFAULT) == dt.date(2027, 3, 9)


def test_too_short_a_notice_says_what_why_and_what_to_do() -> None:
    assert notice_problem(dt.date(2026, 12, 11), dt.date(2026, 12, 14), DEFAULT) == (
        "Besøget den 14.12.2026 ligger kun 3 dage efter brevets dato; standarden kræver mindst 10 dages "
        "varsel. Find et nyt tidspunkt."
    )
    assert notice_problem(dt.date(2026, 12, 11), dt.date(2026, 12, 11), DEFAULT) is not None, "same day"
    assert notice_problem(dt.date(2026, 12, 4), dt.date(2026, 12, 14), DEFAULT) is None, "10 days: enough"
    assert notice_problem(dt.date(2026, 12, 5), dt.date(2026, 12, 14), DEFAULT) is not None, "9 days: not"


def test_a_reply_by_date_that_would_fall_on_the_letters_date_refuses_the_letter() -> None:
    # Two days' notice, one day to answer: a visit on Tuesday 30 March 2027 would have to be answered by
    # Wednesday 24 March (Easter), before a letter dated Friday 26 March.
    short = Deadlines(letter_notice_days=2, reply_days_before_visit=1)
    assert reply_by(dt.date(2027, 3, 26), dt.date(2027, 3, 30), short) is None
    problem = notice_problem(dt.date(2027, 3, 26), dt.date(2027, 3, 30), short)
    assert problem is not None and "svarfrist" in problem


def test_a_letter_sent_on_monday_tells_of_thursday_but_not_of_wednesday() -> None:
    monday = dt.date(2027, 3, 1)
    assert letter_arrives(monday, DEFAULT) == dt.date(2027, 3, 3)
    assert not letter_in_time_for_morning(monday, dt.date(2027, 3, 3), DEFAULT), "arrives that day: too late"
    assert letter_in_time_for_morning(monday, dt.date(2027, 3, 4), DEFAULT)
    # Sent Wednesday before Easter: Thursday to Monday are holidays and a weekend.
    assert letter_arrives(dt.date(2027, 3, 24), DEFAULT) == dt.date(2027, 3, 31)


@given(DAYS, st.integers(min_value=0, max_value=30), deadlines())
def test_a_letter_is_in_time_only_when_it_arrives_on_an_earlier_day(
    sent: dt.date, ahead: int, limits: Deadlines
) -> None:
    day = sent + dt.timedelta(days=ahead)
    arrives = letter_arrives(sent, limits)
    assert working(arrives) and arrives >= sent
    if limits.letter_delivery_working_days:
        assert working_days_between(sent, arrives) == limits.letter_delivery_working_days
    assert letter_in_time_for_morning(sent, day, limits) == (arrives < day)
    if ahead == 0:
        assert not letter_in_time_for_morning(sent, day, limits), "never the day it is sent"


@given(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 30), st.integers(0, 5))
def test_a_new_time_by_letter_needs_the_letter_to_arrive_on_an_earlier_day(
    sent: dt.date, ahead: int, delivery: int
) -> None:
    deadlines = Deadlines(letter_delivery_working_days=delivery)
    new_day = sent + dt.timedelta(days=ahead)
    problem = new_time_problem(sent, new_day, deadlines)
    assert (problem is None) == (letter_arrives(sent, deadlines) < new_day)
    if problem is not None:
        assert f"er først fremme {letter_arrives(sent, deadlines):%d.%m.%Y}" in problem
        assert f"det nye tidspunkt er {new_day:%d.%m.%Y}" in problem and "Ring til borgeren" in problem


def test_a_new_time_over_easter_waits_for_the_post() -> None:
    """Sent on the Wednesday before Easter 2027 (24 March): Maundy Thursday, Good Friday and Easter Monday
    are holidays, so two working days on is Wednesday 31 March. A visit moved to that day cannot be told
    by letter; one on Thursday 1 April can."""
    sent = dt.date(2027, 3, 24)
    assert letter_arrives(sent, DEFAULT) == dt.date(2027, 3, 31)
    assert new_time_problem(sent, dt.date(2027, 3, 31), DEFAULT) is not None
    assert new_time_problem(sent, dt.date(2027, 4, 1), DEFAULT) is None
