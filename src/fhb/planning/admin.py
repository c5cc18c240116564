from django.contrib import admin

from fhb.planning.models import Absence, ClosingDay, Consultant, PlanRun


class AbsenceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Absence
    extra = 1


@admin.register(Consultant)
class ConsultantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "weekdays", "day_start", "day_end", "max_visits", "base_name", "active")
    list_filter = ("active",)
    inlines = [AbsenceInline]
    readonly_fields = ("ical_token",)


@admin.register(ClosingDay)
class ClosingDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("day", "reason")


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "started_at", "user")
    readonly_fields = ("first", "last", "started_at", "user", "seconds", "summary")
