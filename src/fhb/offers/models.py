"""Eligibility runs and the offers (and other decisions) they store.

A decision of the engine is stored as an :class:`Offer` row, identified by citizen, plan year, group,
trigger and the start of its window. A later run of the same year keeps the rows it decides again,
creates the new ones and withdraws those it no longer decides, with the reason why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fhb.citizens.models import Citizen


class EligibilityRun(models.Model):
    """One evaluation of the quality standard over the stored population."""

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Årskørsel")
        DAILY = "daily", _("Daglig kørsel")

    year = models.PositiveIntegerField(_("planår"))
    on = models.DateField(_("udtræksdato"))
    kind = models.CharField(_("art"), max_length=10, choices=Kind.choices)
    standard = models.CharField(_("kvalitetsstandard"), max_length=100)
    standard_approved = models.CharField(_("standard godkendt"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("startet"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("startet af"),
    )
    summary = models.JSONField(_("opsummering"), default=dict)

    class Meta:
        verbose_name = _("kørsel")
        verbose_name_plural = _("kørsler")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} ({self.started_at:%Y-%m-%d %H:%M})"


class Offer(models.Model):
    """One decision of the standard for one citizen and plan year: an offer, or why not."""

    class Decision(models.TextChoices):
        OFFER = "offer", _("Tilbud")
        EXEMPT = "exempt", _("Undtaget")
        DEMENTIA_COORDINATOR = "dementia_coordinator", _("Demenskoordinator")
        ASSESS = "assess", _("Vurderes")

    class Letter(models.TextChoices):
        WITH_TIME = "with_time", _("Med tidspunkt")
        WITHOUT_TIME = "without_time", _("Uden tidspunkt")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Gældende")
        WITHDRAWN = "withdrawn", _("Bortfaldet")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="offers")
    year = models.PositiveIntegerField(_("planår"))
    group = models.CharField(_("målgruppe"), max_length=40)
    trigger = models.CharField(_("udløst af"), max_length=40, blank=True)
    trigger_date = models.DateField(_("hændelsesdato"), null=True, blank=True)
    decision = models.CharField(_("afgørelse"), max_length=30, choices=Decision.choices)
    letter = models.CharField(_("brev"), max_length=20, blank=True, choices=Letter.choices)
    due_from = models.DateField(_("fra"))
    due_to = models.DateField(_("til"))
    reason = models.TextField(_("begrundelse"))
    rule_id = models.CharField(_("regel"), max_length=100)
    clause = models.TextField(_("kvalitetsstandardens ordlyd"), blank=True)
    duration_min = models.PositiveIntegerField(_("varighed (min)"), null=True, blank=True)
    couple_cpr = models.CharField(_("ægtefælle i målgruppen"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    withdrawn_reason = models.TextField(_("hvorfor bortfaldet"), blank=True)
    first_run = models.ForeignKey(EligibilityRun, on_delete=models.PROTECT, related_name="created_offers")
    last_run = models.ForeignKey(EligibilityRun, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")
        ordering = ["due_from", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "year", "group", "trigger", "due_from"], name="offer_identity"
            ),
            models.CheckConstraint(condition=models.Q(due_to__gte=models.F("due_from")), name="offer_window"),
        ]
        indexes = [models.Index(fields=["year", "group", "decision", "status"])]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.year} {self.group} {self.decision}"
