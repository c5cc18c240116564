"""The shell's two conversions between the database's aware times and the core's naive local times.

The core works in naive local time (Europe/Copenhagen, what a letter prints and a calendar shows); the
database stores aware times. These two functions are the only crossing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def naive_local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime as naive local time (the core's and the letters' convention)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(when: dt.datetime) -> dt.datetime:
    """A naive local datetime as an aware one in the current time zone."""
    return timezone.make_aware(when)


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware start of ``first`` and of the day after ``last``: the days ``first``..``last`` as a
    half-open range of moments (``since <= moment < until``)."""
    since = aware(dt.datetime.combine(first, dt.time()))
    until = aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    return since, until
