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
        PHONE = "phone", _("Telefonopkald")

    class Response(models.TextChoices):
        OPT_IN = "opt_in", _("Tilmelding")
        OPT_OUT = "opt_out", _("Framelding")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Gældende")
        WITHDRAWN = "withdrawn", _("Bortfaldet")

    class Origin(models.TextChoices):
        RUN = "run", _("Kørsel")
        REQUEST = "request", _("Henvendelse")
        VISIT = "visit", _("Vurdering ved besøg")
        ASSESSMENT = "assessment", _("Efter vurdering af behov")

    class Reply(models.TextChoices):
        NONE = "", _("Intet svar")
        YES = "yes", _("Ja tak")
        NO = "no", _("Nej tak")
        OTHER_TIME = "other_time", _("Et andet tidspunkt")
        NEVER_AGAIN = "never_again", _("Ønsker ikke tilbud fremover")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="offers")
    year = models.PositiveIntegerField(_("planår"))
    group = models.CharField(_("målgruppe"), max_length=40)
    trigger = models.CharField(_("udløst af"), max_length=40, blank=True)
    trigger_date = models.DateField(_("hændelsesdato"), null=True, blank=True)
    decision = models.CharField(_("afgørelse"), max_length=30, choices=Decision.choices)
    letter = models.CharField(_("brev"), max_length=20, blank=True, choices=Letter.choices)
    response = models.CharField(_("svarform"), max_length=10, blank=True, choices=Response.choices)
    joint_letter = models.BooleanField(_("fælles brev til ægtepar"), default=False)
    follow_up_months = models.PositiveIntegerField(_("opfølgning efter (mdr.)"), null=True, blank=True)
    due_from = models.DateField(_("fra"))
    due_to = models.DateField(_("til"))
    reason = models.TextField(_("begrundelse"))
    rule_id = models.CharField(_("regel"), max_length=100)
    clause = models.TextField(_("kvalitetsstandardens ordlyd"), blank=True)
    duration_min = models.PositiveIntegerField(_("varighed (min)"), null=True, blank=True)
    couple_cpr = models.CharField(_("ægtefælle i målgruppen"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    withdrawn_reason = models.TextField(_("hvorfor bortfaldet"), blank=True)
    origin = models.CharField(_("oprindelse"), max_length=10, choices=Origin.choices, default=Origin.RUN)
    reply = models.CharField(_("borgerens svar"), max_length=20, blank=True, choices=Reply.choices)
    reply_date = models.DateField(_("svardato"), null=True, blank=True)
    first_run = models.ForeignKey(
        EligibilityRun, null=True, blank=True, on_delete=models.PROTECT, related_name="created_offers"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_offers",
        verbose_name=_("overtaget af demenskoordinator"),
    )
    taken_on = models.DateField(_("overtaget"), null=True, blank=True)
    offered_on = models.DateField(
        _("tilbudt"),
        null=True,
        blank=True,
        help_text=_("Dagen tilbuddet blev givet: brevet sendt, eller henvendelsen bevilget."),
    )
    last_run = models.ForeignKey(
        EligibilityRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    call_tries = models.PositiveIntegerField(
        _("forsøg på at ringe"),
        default=0,
        help_text=_("Tilbud ved telefonopkald: opkald, hvor borgeren ikke blev truffet."),
    )
    last_call_on = models.DateField(_("seneste opkald"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")
        ordering = ["due_from", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "year", "group", "trigger", "due_from", "origin"], name="offer_identity"
            ),
            models.CheckConstraint(condition=models.Q(due_to__gte=models.F("due_from")), name="offer_window"),
        ]
        indexes = [
            models.Index(fields=["year", "group", "decision", "status"]),
            models.Index(fields=["offered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.year} {self.group} {self.decision}"

    @property
    def is_open(self) -> bool:
        """An active offer the citizen has not declined: letters and visits may still follow."""
        return (
            self.status == Offer.Status.ACTIVE
            and self.decision == Offer.Decision.OFFER
            and self.reply not in (Offer.Reply.NO, Offer.Reply.NEVER_AGAIN)
        )


class Channel(models.TextChoices):
    """How something reached us from the citizen, or a letter reached the citizen."""

    PHONE = "phone", _("Telefon")
    MAIL = "mail", _("Mail")
    DIGITAL_POST = "digital_post", _("Digital Post")
    LETTER = "letter", _("Brev")
    IN_PERSON = "in_person", _("Personligt fremmøde")


class Answer(models.Model):
    """The citizen's answer to an offer, as registered by a member of staff."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="answers")
    reply = models.CharField(_("svar"), max_length=20, choices=Offer.Reply.choices[1:])
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    received = models.DateField(_("modtaget"))
    note = models.TextField(_("note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("registreret af")
    )
    created_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["-received", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reply_display()} ({self.received})"


class Request(models.Model):
    """A request (henvendelse) for a visit from a citizen, a relative or staff, with its deadline."""

    class From(models.TextChoices):
        CITIZEN = "citizen", _("Borgeren selv")
        RELATIVE = "relative_with_consent", _("Pårørende (med samtykke)")
        STAFF = "staff_with_consent", _("Frontpersonale (med samtykke)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer afgørelse")
        GRANTED = "granted", _("Bevilget")
        REFUSED = "refused", _("Afslået")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="requests")
    received = models.DateField(_("modtaget"))
    came_from = models.CharField(_("henvendelse fra"), max_length=30, choices=From.choices)
    contact_name = models.CharField(_("henvenderens navn"), max_length=200, blank=True)
    consent = models.BooleanField(_("borgerens samtykke er givet"), default=False)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    note = models.TextField(_("hvad drejer henvendelsen sig om"), blank=True)
    deadline = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(_("begrundelse for afgørelsen"), blank=True)
    decided_on = models.DateField(_("afgjort"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afgjort af"),
    )
    offer = models.OneToOneField(
        Offer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
        verbose_name=_("tilbud"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("henvendelse")
        verbose_name_plural = _("henvendelser")
        ordering = ["deadline", "received", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(came_from="citizen") | models.Q(consent=True), name="request_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"Henvendelse {self.received} ({self.get_status_display()})"


class FollowUp(models.Model):
    """A follow-up task the standard asks for (Ishøj: 75-year-olds who did not answer, 3 months on)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Åben")
        DONE = "done", _("Udført")
        CLOSED = "closed", _("Bortfaldet")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="follow_ups")
    due = models.DateField(_("forfalder"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("note"), blank=True)
    done_on = models.DateField(_("udført"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("udført af"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["offer"], name="one_follow_up_per_offer")]

    def __str__(self) -> str:
        return f"Opfølgning {self.due} ({self.get_status_display()})"


class Assessment(models.Model):
    """A case: a consultant assesses whether a citizen needs a visit (vurdering af behov).

    It comes from a run's ``assess`` decision (a by-need trigger: a loss, repeated admissions, the end of
    a course) or from a referral a consultant registers by hand (a colleague, a relative with consent, the
    GP). It has the date it became known, a deadline (the standard's ``[deadlines] assess_within_days``, on
    a working day, inside the window) and a consultant, and ends in one of the outcomes: need found (an
    offer of the group's kind is made), no need (with the reason), not reached after the tries the standard
    sets, declined by the citizen, or closed because the decision behind it fell away.
    """

    class Origin(models.TextChoices):
        RUN = "run", _("Kørsel")
        REFERRAL = "referral", _("Henvisning")

    class ReferredBy(models.TextChoices):
        COLLEAGUE = "colleague", _("Kollega i kommunen")
        RELATIVE = "relative", _("Pårørende")
        GP = "gp", _("Egen læge")
        HOSPITAL = "hospital", _("Hospital")
        OTHER = "other", _("Andre")

    class Outcome(models.TextChoices):
        PENDING = "", _("Afventer vurdering")
        NEED = "need", _("Behov: tilbud givet")
        NO_NEED = "no_need", _("Intet behov")
        NOT_REACHED = "not_reached", _("Ikke truffet")
        DECLINED = "declined", _("Borgeren takker nej")
        CLOSED = "closed", _("Bortfaldet")

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveIntegerField(_("planår"))
    group = models.CharField(_("målgruppe"), max_length=40)
    trigger = models.CharField(_("udløst af"), max_length=40, blank=True)
    what = models.CharField(_("hvad er sket"), max_length=300)
    event_date = models.DateField(_("hændelsesdato"), null=True, blank=True)
    known_on = models.DateField(_("kendt fra"))
    deadline = models.DateField(_("frist"))
    due_to = models.DateField(_("vinduet slutter"))
    origin = models.CharField(_("oprindelse"), max_length=10, choices=Origin.choices)
    decision = models.OneToOneField(
        Offer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessment",
        verbose_name=_("kørslens afgørelse"),
    )
    referred_by = models.CharField(_("henvist af"), max_length=20, blank=True, choices=ReferredBy.choices)
    referrer_name = models.CharField(_("henviserens navn"), max_length=200, blank=True)
    consent = models.BooleanField(_("borgerens samtykke er givet"), default=False)
    note = models.TextField(_("note"), blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("konsulent"),
    )
    tries = models.PositiveIntegerField(_("forsøg på at træffe borgeren"), default=0)
    last_try_on = models.DateField(_("seneste forsøg"), null=True, blank=True)
    outcome = models.CharField(_("resultat"), max_length=20, blank=True, choices=Outcome.choices)
    outcome_reason = models.TextField(_("begrundelse"), blank=True)
    decided_on = models.DateField(_("afgjort"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afgjort af"),
    )
    offer = models.OneToOneField(
        Offer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_assessment",
        verbose_name=_("tilbud efter vurderingen"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(origin="run") | models.Q(referred_by__gt=""), name="referral_has_source"
            ),
            models.CheckConstraint(
                condition=~models.Q(referred_by="relative") | models.Q(consent=True),
                name="relative_referral_consent",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "deadline"])]

    def __str__(self) -> str:
        return f"Vurdering {self.citizen_id} {self.group} ({self.get_outcome_display()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == Assessment.Outcome.PENDING
