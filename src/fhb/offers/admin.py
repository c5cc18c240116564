from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fhb.offers.models import Assessment, EligibilityRun, Offer


@admin.register(EligibilityRun)
class EligibilityRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("started_at", "kind", "year", "on", "standard", "user")
    readonly_fields = [f.name for f in EligibilityRun._meta.fields]


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("citizen", "year", "group", "decision", "letter", "due_from", "due_to", "status")
    list_filter = ("year", "group", "decision", "status")
    raw_id_fields = ("citizen", "first_run", "last_run")


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """Read only: an assessment is decided on its page, where the rules and the history hold."""

    list_display = ("citizen", "group", "known_on", "deadline", "consultant", "outcome", "decided_on")
    list_filter = ("outcome", "origin", "group")
    raw_id_fields = ("citizen", "decision", "offer", "consultant", "decided_by", "created_by")
    readonly_fields = [f.name for f in Assessment._meta.fields]
