"""The population as stored: dwellings, citizens, facts from the care system, and import runs.

Every change to a dwelling, citizen or fact is kept (django-simple-history); each import run records
what it changed in its summary.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fhb.core.cpr import format_cpr
from fhb.core.planning.travel import Point
from fhb.core.population.model import CIVIL_STATUS_CODES, EVENT_KINDS


class Dwelling(models.Model):
    """A unit address (``address_id``, e.g. a DAR id); people with the same id live together."""

    address_id = models.CharField(_("adresse-id"), max_length=100, unique=True)
    street = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("postnummer"), max_length=10)
    city = models.CharField(_("by"), max_length=100)
    lat = models.FloatField(_("breddegrad"), null=True, blank=True)
    lon = models.FloatField(_("længdegrad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bolig")
        verbose_name_plural = _("boliger")
        indexes = [models.Index(fields=["postcode"])]

    def __str__(self) -> str:
        # No street: this text lands in the admin's log and lists, where a protected address must not.
        return f"{self.postcode} {self.city} ({self.address_id})"

    @property
    def point(self) -> Point | None:
        """Where the dwelling lies, for routing and maps; None when the extract gave no coordinates."""
        if self.lat is None or self.lon is None:
            return None
        return Point(self.lat, self.lon)


class CitizenQuerySet(models.QuerySet["Citizen"]):
    def in_extract(self) -> CitizenQuerySet:
        """Citizens present in the latest extract."""
        return self.filter(in_extract=True)

    def alive_on(self, on: date) -> CitizenQuerySet:
        return self.filter(models.Q(death_date__isnull=True) | models.Q(death_date__gt=on))


class Citizen(models.Model):
    """A person in the municipality's extract, identified by CPR number."""

    class Sex(models.TextChoices):
        MALE = "M", _("mand")
        FEMALE = "F", _("kvinde")

    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    sex = models.CharField(_("køn"), max_length=1, choices=Sex.choices)
    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="residents", verbose_name=_("bolig")
    )
    civil_status = models.CharField(
        _("civilstand"), max_length=1, blank=True, choices=list(CIVIL_STATUS_CODES.items())
    )
    civil_status_date = models.DateField(_("civilstand siden"), null=True, blank=True)
    spouse_cpr = models.CharField(_("ægtefælles CPR-nummer"), max_length=10, blank=True)
    death_date = models.DateField(_("dødsdato"), null=True, blank=True)
    digital_post_exempt = models.BooleanField(_("fritaget for Digital Post"), default=False)
    address_protected = models.BooleanField(_("navne- og adressebeskyttelse"), default=False)
    in_extract = models.BooleanField(
        _("i seneste udtræk"), default=True, help_text=_("Falsk når borgeren ikke var med i seneste udtræk.")
    )
    missing_since = models.ForeignKey(
        "ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ikke i udtrækket siden"),
        help_text=_("Den indlæsning, hvor borgeren første gang manglede; tom når borgeren er med."),
    )
    missing_kept_on = models.DateField(
        _("lederen venter siden"),
        null=True,
        blank=True,
        help_text=_("Borgeren mangler i udtrækket, og lederen har besluttet at beholde besøg og tilbud."),
    )
    missing_kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("besluttet af"),
    )
    missing_note = models.TextField(
        _("lederens note"),
        blank=True,
        db_default="",  # the importer's bulk inserts name their columns
        help_text=_("Hvorfor lederen venter på næste udtræk."),
    )
    anonymised = models.BooleanField(
        _("anonymiseret"),
        default=False,
        db_default=False,  # the importer's bulk inserts name their columns
        help_text=_("Opbevaringsperioden er udløbet: personoplysningerne er slettet, tallene bevaret."),
    )
    anonymised_on = models.DateField(_("anonymiseret den"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["name", "cpr"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["birth_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cpr__regex=r"^[0-9]{10}$"), name="citizen_cpr_ten_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cpr_display})"

    @property
    def cpr_display(self) -> str:
        return format_cpr(self.cpr)

    def age_on(self, on: date) -> int:
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def spouse(self) -> Citizen | None:
        if not self.spouse_cpr:
            return None
        return Citizen.objects.filter(cpr=self.spouse_cpr).first()


class CareEvent(models.Model):
    """A fact from the care system (events.csv): identified by citizen, kind, start and end date."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("art"), max_length=40, choices=list(EVENT_KINDS.items()))
    start = models.DateField(_("start"))
    end = models.DateField(_("slut"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oplysning fra omsorgssystemet")
        verbose_name_plural = _("oplysninger fra omsorgssystemet")
        ordering = ["citizen", "start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "kind", "start", "end"], name="care_event_identity"),
            models.UniqueConstraint(
                fields=["citizen", "kind", "start"],
                condition=models.Q(end__isnull=True),
                name="care_event_identity_ongoing",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="care_event_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end or ''}"

    def in_force_on(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


class ImportRun(models.Model):
    """One import of an extract: who, when, which files, and what changed (the summary)."""

    started_at = models.DateTimeField(_("startet"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("bruger")
    )
    citizens_file = models.CharField(_("borgerfil"), max_length=300)
    events_file = models.CharField(_("hændelsesfil"), max_length=300, blank=True)
    citizens_sha256 = models.CharField(max_length=64)
    events_sha256 = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(_("opsummering"), default=dict)
    warnings = models.JSONField(_("advarsler"), default=list)

    class Meta:
        verbose_name = _("indlæsning")
        verbose_name_plural = _("indlæsninger")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Indlæsning {self.started_at:%Y-%m-%d %H:%M} ({self.citizens_file})"
