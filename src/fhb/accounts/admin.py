from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fhb.accounts.models import User


@admin.register(User)
class FhbUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Rolle", {"fields": ("role",)}))  # type: ignore[misc]
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Rolle", {"fields": ("role",)}))
