"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def fhb_context(request: HttpRequest) -> dict[str, Any]:
    return {"fhb_standard": settings.FHB_STANDARD, "fhb_debug": settings.DEBUG}
