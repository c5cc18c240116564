"""The journal: notes from the visits, kept only with the citizen's consent, and a log of every read.

The standards agree that nothing of the conversation is written down without the citizen's consent
(Hjørring: "Efter samtykke fra borger dokumenteres væsentlige emner og aftaler"). Without it, the visit
itself records only that it took place. A note is never edited or deleted by staff: a correction is a new
note. Every time a person is shown a citizen's journal, a :class:`JournalRead` row says who, when and where.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fhb.citizens.models import Citizen
from fhb.visits.models import Visit


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self) -> ConsentQuerySet:
        return self.filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    """A consent the citizen gave (and may withdraw): to documentation, or to passing information on."""

    class Kind(models.TextChoices):
        DOCUMENTATION = "documentation", _("Dokumentation i journalen")
        PASS_ON = "pass_on", _("Videregivelse af oplysninger")

    class Given(models.TextChoices):
        VERBAL = "verbal", _("Mundtligt")
        WRITTEN = "written", _("Skriftligt")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("samtykke til"), max_length=20, choices=Kind.choices)
    given = models.CharField(_("givet"), max_length=10, choices=Given.choices, default=Given.VERBAL)
    given_on = models.DateField(_("givet den"))
    scope = models.TextField(_("omfang"), blank=True, help_text=_("Ved videregivelse: til hvem og om hvad."))
    withdrawn_on = models.DateField(_("trukket tilbage den"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    history = HistoricalRecords()

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "kind"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_consent_in_force_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"


class JournalNote(models.Model):
    """One entry in a citizen's journal."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Notat fra besøget")
        PROCEDURE = "procedure", _("Procedure fulgt")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="journal_notes")
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_notes",
        verbose_name=_("besøg"),
    )
    kind = models.CharField(_("art"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    topics = models.JSONField(_("emner"), default=list, blank=True)
    themes = models.JSONField(_("temaer"), default=list, blank=True)
    referrals = models.JSONField(_("henvisninger"), default=list, blank=True)
    agreements = models.TextField(_("aftaler"), blank=True)
    text = models.TextField(_("notat"), blank=True)
    pass_on = models.BooleanField(
        _("samtykke til videregivelse drøftet og givet"),
        default=False,
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("skrevet af"),
    )
    written_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.written_at:%Y-%m-%d}"


class JournalRead(models.Model):
    """Somebody looked a citizen up: who, when, which citizen, on which page (her page, a visit's page, a
    letter, an export, a protected address shown) and how many journal notes it showed
    (:mod:`fhb.journal.reads`)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="journal_reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("læst af"),
    )
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    page = models.CharField(_("side"), max_length=40)
    notes = models.PositiveIntegerField(_("notater vist"), default=0)

    class Meta:
        verbose_name = _("opslag om en borger")
        verbose_name_plural = _("opslag om borgere")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.citizen_id} {self.at:%Y-%m-%d %H:%M}"
