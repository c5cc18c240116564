"""Events: an activity of the standard (the seniormesse, a club visit) held at a place and time.

Invitation letters name the event; registrations and attendance hang on it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Event(models.Model):
    activity = models.CharField(
        _("aktivitet"), max_length=100, help_text=_("Aktivitetens id i kvalitetsstandarden, fx seniormesse.")
    )
    name = models.CharField(_("navn"), max_length=200)
    place = models.CharField(_("sted"), max_length=300)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slut"))
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
