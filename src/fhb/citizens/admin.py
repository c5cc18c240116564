from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun


@admin.register(Citizen)
class CitizenAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("name", "cpr", "birth_date", "civil_status", "death_date", "in_extract")
    list_filter = ("in_extract", "civil_status", "digital_post_exempt", "address_protected")
    search_fields = ("name", "cpr")
    raw_id_fields = ("dwelling",)


@admin.register(Dwelling)
class DwellingAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("street", "postcode", "city", "address_id")
    search_fields = ("street", "address_id", "postcode")


@admin.register(CareEvent)
class CareEventAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("citizen", "kind", "start", "end")
    list_filter = ("kind",)
    raw_id_fields = ("citizen",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("started_at", "citizens_file", "events_file", "user")
    readonly_fields = [f.name for f in ImportRun._meta.fields]
