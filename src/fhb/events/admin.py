from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fhb.events.models import Event


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("name", "activity", "place", "start")
