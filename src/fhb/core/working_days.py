"""Danish working days: weekdays that are not public holidays (the ``holidays`` package).

Every date a letter asks a citizen to act by, and every deadline a consultant is given, falls on a working
day: the phone is open on weekdays, and a deadline on a Sunday or on Christmas Day cannot be met.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holidays_lib


@lru_cache(maxsize=64)
def danish_holidays(year: int) -> dict[dt.date, str]:
    """The Danish public holidays of ``year``, with their Danish names."""
    return dict(holidays_lib.country_holidays("DK", years=year, language="da").items())


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in danish_holidays(day.year)


def working_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` when it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_day_on_or_after(day: dt.date) -> dt.date:
    """``day`` when it is a working day, else the working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``count`` = 0: ``day`` itself, or the next working day)."""
    if count <= 0:
        return working_day_on_or_after(day)
    while count:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(first: dt.date, last: dt.date) -> int:
    """How many working days lie after ``first`` up to and including ``last`` (0 when ``last <= first``)."""
    count = 0
    day = first
    while day < last:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
