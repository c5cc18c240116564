"""The user and the role that decides what each page shows and allows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Forebyggende konsulent")
    LEADER = "leader", _("Leder")
    ADMIN = "admin", _("Administrator")
    DEMENTIA_COORDINATOR = "dementia_coordinator", _("Demenskoordinator")


class User(AbstractUser):
    """A member of staff. Citizens never log in."""

    role = models.CharField(_("rolle"), max_length=30, choices=Role.choices, default=Role.CONSULTANT)

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self) -> str:
        """The person's name as colleagues know her (menus, history, "af ..."); the user name if none."""
        return self.get_full_name() or self.get_username()

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of ``roles``; an administrator (or superuser) holds every role."""
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN or self.role in roles)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Administrators manage imports and users in Django's admin pages.
        if self.role == Role.ADMIN:
            self.is_staff = True
        super().save(*args, **kwargs)
