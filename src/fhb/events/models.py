"""Events: an activity of the standard held at a place and time (the seniormesse), the citizens who sign up
for it and whether they came; and the talks consultants give in senior clubs and associations.

Invitation letters name the events (``fhb.letters.compose.invitation_events``); registrations and attendance
hang on it. Which citizens were invited is read from the letters, see :mod:`fhb.events.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fhb.citizens.models import Citizen
from fhb.offers.models import Channel


class Event(models.Model):
    activity = models.CharField(
        _("aktivitet"), max_length=100, help_text=_("Aktivitetens id i kvalitetsstandarden, fx seniormesse.")
    )
    name = models.CharField(_("navn"), max_length=200)
    place = models.CharField(_("sted"), max_length=300)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slut"))
    capacity = models.PositiveIntegerField(
        _("pladser"), null=True, blank=True, help_text=_("Antal pladser; tomt: ingen grænse.")
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%Y-%m-%d}"


class Registration(models.Model):
    """A citizen's sign-up for an event, and (after the event) whether the citizen came.

    The row is kept when the citizen is anonymised (the citizen row stays, see
    ``fhb.privacy.retention``), so the event's figures do not change; a cancelled sign-up is deleted.
    """

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("arrangement")
    )
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="event_registrations", verbose_name=_("borger")
    )
    registered_on = models.DateField(_("tilmeldt den"))
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    attended = models.BooleanField(
        _("mødt"), null=True, blank=True, help_text=_("Tomt: fremmødet er ikke registreret endnu.")
    )
    note = models.TextField(_("note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["event", "citizen__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "citizen"], name="registration_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.event_id}"


class ClubVisit(models.Model):
    """A talk a consultant gave at a senior club or pensioners' association (Herning: klubbesøg)."""

    class Kind(models.TextChoices):
        SENIOR_CLUB = "senior_club", _("Seniorklub / ældreklub")
        PENSIONERS = "pensioners", _("Pensionistforening")
        OTHER = "other", _("Andet")

    date = models.DateField(_("dato"))
    club = models.CharField(_("forening eller klub"), max_length=200)
    kind = models.CharField(_("art"), max_length=20, choices=Kind.choices, default=Kind.SENIOR_CLUB)
    topic = models.CharField(_("emne"), max_length=300)
    attendees = models.PositiveIntegerField(_("deltagere"), validators=[MinValueValidator(1)])
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="club_visits",
        verbose_name=_("konsulent"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klubbesøg")
        verbose_name_plural = _("klubbesøg")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(attendees__gte=1), name="club_visit_has_attendees"),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.club} {self.date:%Y-%m-%d}"
