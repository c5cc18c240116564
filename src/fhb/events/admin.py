from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fhb.events.models import ClubVisit, Event, Registration


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("name", "activity", "place", "start", "capacity")


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("event", "citizen", "registered_on", "channel", "attended")
    list_filter = ("event",)
    raw_id_fields = ("citizen",)


@admin.register(ClubVisit)
class ClubVisitAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("date", "club", "kind", "topic", "attendees", "consultant")
    list_filter = ("kind", "consultant")
