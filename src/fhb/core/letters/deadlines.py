"""The dates a letter sets for the citizen: the notice a letter announcing a visit gives, the reply-by date
of an opt-out letter, and when a letter sent today reaches the citizen.

The rules (the limits are the standard's ``[deadlines]``, :class:`~fhb.core.standard.schema.Deadlines`):

- *Notice*: a visit lies at least ``letter_notice_days`` calendar days after the letter's date.
- *Reply by*: the working day on or before ``visit - reply_days_before_visit`` (a weekday that is not a
  Danish public holiday: the phone is open then), and strictly after the letter's date, so the citizen has
  a day to answer. A letter that cannot give both is not written.
- *Delivery*: a letter sent on day ``d`` is with the citizen on ``add_working_days(d,
  letter_delivery_working_days)``, during that day. It tells the citizen of something "by the morning" of
  a day only when it arrives on an earlier day.

Pure functions: the dates are arguments, the texts Danish.
"""

from __future__ import annotations

import datetime as dt

from fhb.core.standard.schema import Deadlines
from fhb.core.working_days import add_working_days, working_day_on_or_before


def _day(d: dt.date) -> str:
    return f"{d:%d.%m.%Y}"


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dage"


def _notice(n: int) -> str:
    """ "10 dages varsel" (the genitive)."""
    return "1 dags varsel" if n == 1 else f"{n} dages varsel"


def reply_by(letter_date: dt.date, visit_date: dt.date, deadlines: Deadlines) -> dt.date | None:
    """The date an opt-out letter dated ``letter_date`` asks the citizen to answer by, for a visit on
    ``visit_date``: the working day on or before ``visit_date - reply_days_before_visit``; None when that
    is not strictly after ``letter_date`` (the letter would leave the citizen no day to answer)."""
    day = working_day_on_or_before(visit_date - dt.timedelta(days=deadlines.reply_days_before_visit))
    return day if day > letter_date else None


def notice_problem(letter_date: dt.date, visit_date: dt.date, deadlines: Deadlines) -> str | None:
    """Why a letter dated ``letter_date`` cannot announce a visit on ``visit_date``, in Danish (what, why,
    what to do); None when it can.

    It cannot when the visit lies fewer than ``letter_notice_days`` days after the letter's date, or when
    the reply-by date (:func:`reply_by`) would not fall strictly after the letter's date.
    """
    gap = (visit_date - letter_date).days
    visit = _day(visit_date)
    needed = deadlines.letter_notice_days
    if gap <= 0:
        return (
            f"Besøget den {visit} ligger ikke efter brevets dato ({_day(letter_date)}); standarden kræver "
            f"mindst {_notice(needed)}. Find et nyt tidspunkt."
        )
    if gap < needed:
        return (
            f"Besøget den {visit} ligger kun {_days(gap)} efter brevets dato; standarden kræver mindst "
            f"{_notice(needed)}. Find et nyt tidspunkt."
        )
    if reply_by(letter_date, visit_date, deadlines) is None:
        return (
            f"Besøget den {visit} giver ingen svarfrist efter brevets dato ({_day(letter_date)}): borgeren "
            f"skal kunne svare på en hverdag senest {_days(deadlines.reply_days_before_visit)} før besøget. "
            "Find et senere tidspunkt."
        )
    return None


def letter_arrives(sent: dt.date, deadlines: Deadlines) -> dt.date:
    """The day a letter sent on ``sent`` reaches the citizen (during the day): the standard's
    ``letter_delivery_working_days`` working days later (with 0: ``sent`` itself when a working day, else
    the next working day)."""
    return add_working_days(sent, deadlines.letter_delivery_working_days)


def letter_in_time_for_morning(sent: dt.date, day: dt.date, deadlines: Deadlines) -> bool:
    """Whether a letter sent on ``sent`` tells the citizen before the morning of ``day``: it must arrive on
    an earlier day (:func:`letter_arrives`), since the post comes during the day."""
    return letter_arrives(sent, deadlines) < day


def new_time_problem(sent: dt.date, new_day: dt.date, deadlines: Deadlines) -> str | None:
    """Why a letter sent on ``sent`` cannot tell the citizen of a visit moved to ``new_day``, in Danish
    (what, why, what to do); None when it arrives on an earlier day (:func:`letter_in_time_for_morning`).
    A time agreed with the citizen needs no such letter to arrive in time: it only confirms."""
    if letter_in_time_for_morning(sent, new_day, deadlines):
        return None
    return (
        f"Et brev sendt {_day(sent)} er først fremme {_day(letter_arrives(sent, deadlines))}, og det nye "
        f"tidspunkt er {_day(new_day)}: borgeren når ikke at få brevet. Ring til borgeren og aftal tiden "
        "(registrér den som borgerens svar med et nyt tidspunkt), eller vælg en senere dag."
    )
