from django.contrib import admin

from fhb.letters.models import Batch, Dispatch, Letter, SenderSettings


@admin.register(SenderSettings)
class SenderSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("unit", "phone", "email")


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("uuid", "kind", "channel", "status", "created_at", "delivered_at")
    list_filter = ("status", "kind", "channel")
    readonly_fields = ("uuid", "content", "pdf", "memo", "sha256", "batch", "attempts", "last_error")
    exclude = ("offers",)
    raw_id_fields = ("citizen", "visit", "dispatch")


admin.site.register(Dispatch)
admin.site.register(Batch)
