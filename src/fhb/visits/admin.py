from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fhb.visits.models import Visit


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("start", "status", "consultant")
    list_filter = ("status",)
    raw_id_fields = ("offers",)
