"""A visit: a time at a citizen's home (or a couple's), for the offers it serves: one citizen's overlapping
offers share one visit, and so do a couple's.

Planning (PyVRP) places visits; a consultant may also set or move a time by hand. A time already promised
to a citizen never moves unless a person moves it, and every move is kept (history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fhb.citizens.models import Citizen
from fhb.offers.models import Offer


class VisitQuerySet(models.QuerySet["Visit"]):
    def open(self) -> VisitQuerySet:
        """Visits that are still to be held."""
        return self.filter(status=Visit.Status.PLANNED)


class CancelledBy(models.TextChoices):
    CITIZEN = "citizen", _("Borgeren")
    US = "us", _("Kommunen")


class CitizenTold(models.TextChoices):
    PHONE = "phone", _("Telefon")
    LETTER = "letter", _("Brev")


class Visit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        HELD = "held", _("Gennemført")
        CLOSED_DOOR = "closed_door", _("Lukket dør")
        DECLINED = "declined", _("Afslået")
        CANCELLED = "cancelled", _("Aflyst")

    offers = models.ManyToManyField(Offer, related_name="visits", verbose_name=_("tilbud"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slut"))
    proposed = models.BooleanField(
        _("foreslået tidspunkt"),
        default=False,
        help_text=_("Brevet foreslår tidspunktet i stedet for at fastlægge det."),
    )
    fixed = models.BooleanField(
        _("fastlåst tidspunkt"),
        default=False,
        help_text=_("Sat eller flyttet i hånden: planlæggeren flytter det aldrig."),
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("konsulent"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.TextField(_("begrundelse"), blank=True)
    interpreter = models.CharField(
        _("tolk"),
        max_length=100,
        blank=True,
        help_text=_("Sproget, når der er aftalt tolk til besøget; tomt, når der ikke skal være tolk."),
    )
    held_minutes = models.PositiveIntegerField(_("faktisk varighed (min)"), null=True, blank=True)
    drive_minutes = models.PositiveIntegerField(
        _("kørsel (min)"),
        null=True,
        blank=True,
        help_text=_("Kørslen til besøget fra forrige stop, og for dagens sidste besøg også vejen hjem."),
    )
    cancelled_by = models.CharField(_("aflyst af"), max_length=10, blank=True, choices=CancelledBy.choices)
    citizen_told = models.CharField(
        _("borgeren orienteret"), max_length=10, blank=True, choices=CitizenTold.choices
    )
    closed_door_steps = models.JSONField(
        _("trin ved lukket dør"),
        default=list,
        blank=True,
        help_text=_("Kvalitetsstandardens trin, som konsulenten har fulgt (ordlyden, som den var)."),
    )
    note_left_at = models.DateTimeField(_("seddel lagt"), null=True, blank=True)
    another_visit = models.BooleanField(_("behov for endnu et besøg"), default=False)
    outcome_at = models.DateTimeField(_("udfald registreret"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("udfald registreret af"),
    )
    history = HistoricalRecords(m2m_fields=[offers])

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("besøg")
        verbose_name_plural = _("besøg")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="visit_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "start"])]

    def __str__(self) -> str:
        return f"Besøg {self.start:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def promised(self) -> bool:
        """The time is promised: set by hand, or told the citizen in a letter that was not cancelled."""
        return self.fixed or self.letters.exclude(status="cancelled").exists()


class HomeNotes(models.Model):
    """What the consultant needs at the door: a phone number, pets, smoking, how to get in.

    The population extract has none of this; the consultant writes it down (with history).
    """

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="home_notes")
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    pets = models.CharField(_("husdyr"), max_length=200, blank=True)
    smoking = models.BooleanField(_("ryger i hjemmet"), default=False)
    access = models.CharField(
        _("adgang"), max_length=300, blank=True, help_text=_("Fx kode til opgang, nøgle hos naboen.")
    )
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("praktiske oplysninger")
        verbose_name_plural = _("praktiske oplysninger")

    def __str__(self) -> str:
        return f"Praktiske oplysninger ({self.citizen_id})"
