"""Consultants' working time and the plans made from it.

A :class:`Consultant` is the planning side of a staff user: her ordinary week, lunch break, the day's most
visits and the place her day starts and ends. :class:`Absence` and :class:`ClosingDay` take time out of the
calendar (Danish public holidays need no rows: the ``holidays`` package knows them). A :class:`PlanRun`
records each run of the planner with what it could not place and why.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fhb.core.planning.travel import Point

WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Consultant(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planning", verbose_name=_("bruger")
    )
    weekdays = models.CharField(
        _("arbejdsdage"),
        max_length=13,
        default="0,1,2,3,4",
        help_text=_("Ugedage som tal adskilt af komma: 0 = mandag ... 6 = søndag."),
        validators=[RegexValidator(r"^[0-6](,[0-6])*$", _("Skriv ugedage som tal 0-6 adskilt af komma."))],
    )
    day_start = models.TimeField(_("arbejdsdag starter"), default=dt.time(8, 0))
    day_end = models.TimeField(_("arbejdsdag slutter"), default=dt.time(15, 30))
    lunch_at = models.TimeField(_("frokost omkring"), null=True, blank=True, default=dt.time(12, 0))
    lunch_min = models.PositiveIntegerField(_("frokostpause (min)"), default=30)
    max_visits = models.PositiveIntegerField(_("højst besøg pr. dag"), default=4)
    base_name = models.CharField(_("starter og slutter ved"), max_length=200, default="Sundhedscentret")
    base_lat = models.FloatField(_("breddegrad"))
    base_lon = models.FloatField(_("længdegrad"))
    active = models.BooleanField(_("aktiv i planlægningen"), default=True)
    ical_token = models.CharField(_("kalendernøgle"), max_length=64, unique=True, default=_new_token)

    class Meta:
        verbose_name = _("konsulent")
        verbose_name_plural = _("konsulenter")
        ordering = ["user__first_name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_end__gt=models.F("day_start")), name="consultant_day"
            ),
            models.CheckConstraint(
                condition=models.Q(max_visits__gte=1, max_visits__lte=12), name="consultant_max_visits"
            ),
            models.CheckConstraint(condition=models.Q(lunch_min__lte=120), name="consultant_lunch"),
            models.CheckConstraint(
                condition=models.Q(
                    base_lat__gte=-90, base_lat__lte=90, base_lon__gte=-180, base_lon__lte=180
                ),
                name="consultant_base_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def base(self) -> Point:
        """The place her day starts and ends."""
        return Point(self.base_lat, self.base_lon)

    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.weekdays.split(",") if part.strip())

    def weekday_names(self) -> str:
        return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekday_numbers()))

    def new_ical_token(self) -> None:
        """Replace the calendar feed's secret: the old address stops working (a lost phone, a leak)."""
        self.ical_token = _new_token()
        self.save(update_fields=["ical_token"])


class Absence(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ferie")
        ILLNESS = "illness", _("Sygdom")
        COURSE = "course", _("Kursus")
        MEETING = "meeting", _("Møde")
        OTHER = "other", _("Andet")

    consultant = models.ForeignKey(
        Consultant, on_delete=models.CASCADE, related_name="absences", verbose_name=_("konsulent")
    )
    kind = models.CharField(_("art"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    start = models.DateTimeField(_("fra"))
    end = models.DateTimeField(_("til"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultant}: {self.get_kind_display()} {self.start:%d.%m.%Y}"


class ClosingDay(models.Model):
    """A day the municipality's service is closed (beyond public holidays), e.g. 24 December or 5 June."""

    day = models.DateField(_("dag"), unique=True)
    reason = models.CharField(_("begrundelse"), max_length=200)

    class Meta:
        verbose_name = _("lukkedag")
        verbose_name_plural = _("lukkedage")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y} {self.reason}"


class PlanRun(models.Model):
    """One run of the planner over a horizon, and what it found."""

    first = models.DateField(_("fra"))
    last = models.DateField(_("til"))
    started_at = models.DateTimeField(_("kørt"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seconds = models.FloatField(_("søgetid (s)"))
    summary = models.JSONField(_("opsummering"), default=dict)
    """Counts, driving and working time, ``waiting`` (visits due after the horizon, left for a later plan)
    and ``not_placed``: the warnings, [{key, citizens, reason, text, warning: true}]."""

    class Meta:
        verbose_name = _("planlægningskørsel")
        verbose_name_plural = _("planlægningskørsler")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last__gte=models.F("first")), name="plan_run_horizon")
        ]

    def __str__(self) -> str:
        return f"Plan {self.first:%d.%m.%Y}-{self.last:%d.%m.%Y}"

    @property
    def warnings(self) -> list[dict[str, object]]:
        return [n for n in self.summary.get("not_placed", []) if n.get("warning")]
