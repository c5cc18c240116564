"""Letters and the outbox they leave through.

A :class:`Letter` is one copy for one recipient (a couple's joint letter is two copies of one text, each
by its recipient's own channel). It moves queued → rendered → delivered, or to failed (retried later, the
error kept) or cancelled. What was sent (the PDF and, for Digital Post, the MeMo message) is stored as the
exact bytes. The worker claims rendered letters into a :class:`Batch` before it hands them to a transport,
so a letter belongs to one batch only and a crashed delivery is resumed, never repeated.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fhb.citizens.models import Citizen
from fhb.citizens.protection import address_protected
from fhb.core.letters.model import Channel, LetterKind
from fhb.letters.transports.base import BatchKey
from fhb.offers.models import EligibilityRun, Offer
from fhb.visits.models import Visit

KIND_LABELS = {
    LetterKind.OFFER_WITH_TIME: _("Tilbud med tidspunkt"),
    LetterKind.OFFER_WITHOUT_TIME: _("Tilbud uden tidspunkt"),
    LetterKind.INVITATION: _("Invitation"),
    LetterKind.NEW_TIME: _("Nyt tidspunkt"),
    LetterKind.CANCELLATION: _("Aflysning"),
    LetterKind.CLOSED_DOOR: _("Lukket dør-seddel"),
    LetterKind.FOLLOW_UP: _("Opfølgningsbrev"),
}
CHANNEL_LABELS = {
    Channel.DIGITAL_POST: _("Digital Post"),
    Channel.PAPER: _("Papir (printservice)"),
    Channel.BY_HAND: _("Afleveres personligt"),
}


class SenderSettings(models.Model):
    """The sending unit's contact details, printed on every letter. One row; the demo's values are made up."""

    cvr = models.CharField(
        _("CVR-nummer"), max_length=8, help_text=_("Kommunens CVR-nummer (afsender i Digital Post).")
    )
    unit = models.CharField(_("afsenderenhed"), max_length=200)
    street = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("postnummer"), max_length=10)
    city = models.CharField(_("by"), max_length=100)
    phone = models.CharField(_("telefon"), max_length=40)
    phone_hours = models.CharField(_("telefontid"), max_length=200)
    email = models.EmailField(_("mail"))
    signature = models.CharField(_("underskrift"), max_length=200)
    logo = models.BinaryField(_("logo (PNG eller SVG)"), null=True, blank=True, editable=True)
    logo_format = models.CharField(
        _("logoformat"), max_length=3, blank=True, choices=[("png", "PNG"), ("svg", "SVG")]
    )

    class Meta:
        verbose_name = _("afsenderoplysninger")
        verbose_name_plural = _("afsenderoplysninger")

    def __str__(self) -> str:
        return self.unit


class Dispatch(models.Model):
    """One decision to send letters (a leader sends a run's letters): what was queued, and what was not."""

    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("sendt af")
    )
    run = models.ForeignKey(
        EligibilityRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="dispatches"
    )
    description = models.CharField(_("beskrivelse"), max_length=200)
    summary = models.JSONField(_("opsummering"), default=dict)

    class Meta:
        verbose_name = _("udsendelse")
        verbose_name_plural = _("udsendelser")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.created_at:%Y-%m-%d %H:%M})"


class Batch(models.Model):
    """Letters handed to a transport together. Open until the transport has them all.

    ``uuid`` names the batch to the transport (the file drop's folder), set when the batch is claimed: the
    id repeats after a restore, a rebuilt database or with two instances on one drop folder; the uuid never
    does.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Under aflevering")
        DELIVERED = "delivered", _("Afleveret")

    uuid = models.UUIDField(_("forsendelses-id"), default=uuid.uuid4, unique=True, editable=False)
    transport = models.CharField(_("transport"), max_length=40)
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="batches"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("afleveret"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    location = models.CharField(_("placering"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)

    class Meta:
        verbose_name = _("forsendelse")
        verbose_name_plural = _("forsendelser")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Forsendelse {self.pk} ({self.get_status_display()})"

    @property
    def key(self) -> BatchKey:
        """How a transport knows the batch."""
        return BatchKey(uuid=self.uuid, number=self.pk)


class Letter(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RENDERED = "rendered", _("Dannet")
        DELIVERED = "delivered", _("Afsendt")
        FAILED = "failed", _("Fejlet")
        CANCELLED = "cancelled", _("Annulleret")

    uuid = models.UUIDField(_("brev-id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("brevtype"), max_length=30, choices=list(KIND_LABELS.items()))
    channel = models.CharField(_("kanal"), max_length=20, choices=list(CHANNEL_LABELS.items()))
    title = models.CharField(_("titel"), max_length=200)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="letters", verbose_name=_("modtager")
    )
    offers = models.ManyToManyField(Offer, related_name="letters", blank=True, verbose_name=_("tilbud"))
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters")
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    content = models.JSONField(_("indhold"), help_text=_("Brevets data, som det blev sat i kø."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), null=True, blank=True)
    cancelled_reason = models.TextField(_("hvorfor annulleret"), blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    memo = models.BinaryField(_("MeMo-meddelelse"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 af PDF"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("sider"), null=True, blank=True)
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("dannet"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("afsendt"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("brev")
        verbose_name_plural = _("breve")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "batch"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return str(self.uuid)

    @property
    def viewable(self) -> bool:
        """Its PDF and MeMo may be opened in fhb: they print no protected address (a note left at the door
        prints none; every other letter has the recipient's address in its window)."""
        return self.kind == LetterKind.CLOSED_DOOR.value or not address_protected(self.citizen)
