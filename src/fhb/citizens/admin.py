from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from fhb.citizens.models import CareEvent, Citizen, Dwelling, ImportRun
from fhb.citizens.protection import dwelling_protected


@admin.register(Citizen)
class CitizenAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("name", "cpr", "birth_date", "civil_status", "death_date", "in_extract")
    list_filter = ("in_extract", "civil_status", "digital_post_exempt", "address_protected")
    search_fields = ("name", "cpr")
    raw_id_fields = ("dwelling",)


@admin.register(Dwelling)
class DwellingAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("address", "address_id")
    search_fields = ("street", "address_id", "postcode")

    @admin.display(description=_("adresse"))
    def address(self, dwelling: Dwelling) -> str:
        """The list shows a protected address as every page does: "Adressebeskyttet" and the town."""
        if dwelling_protected(dwelling):
            return _("Adressebeskyttet, %(city)s") % {"city": dwelling.city}
        return f"{dwelling.street}, {dwelling.postcode} {dwelling.city}"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Dwelling], search_term: str
    ) -> tuple[QuerySet[Dwelling], bool]:
        """A search never finds a protected dwelling: the match would tell its address."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            found = found.exclude(residents__address_protected=True)
        return found, duplicates


@admin.register(CareEvent)
class CareEventAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("citizen", "kind", "start", "end")
    list_filter = ("kind",)
    raw_id_fields = ("citizen",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("started_at", "citizens_file", "events_file", "user")
    readonly_fields = [f.name for f in ImportRun._meta.fields]
