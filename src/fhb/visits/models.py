"""A visit: a time at a citizen's home (or a couple's), for one or two offers.

Planning (PyVRP) places visits; a consultant may also set or move a time by hand. A time already promised
to a citizen never moves unless a person moves it, and every move is kept (history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fhb.offers.models import Offer


class VisitQuerySet(models.QuerySet["Visit"]):
    def open(self) -> VisitQuerySet:
        """Visits that are still to be held."""
        return self.filter(status=Visit.Status.PLANNED)


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
