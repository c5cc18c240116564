"""What closing an offer's open work means for letters: the ones not yet sent are cancelled."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from fhb.letters.models import Letter
from fhb.letters.outbox import cancel_unsent
from fhb.offers.signals import offers_closing


@receiver(offers_closing, dispatch_uid="letters-cancel-unsent")
def cancel_unsent_letters(
    sender: Any, offer_ids: list[int], reason: str, declined: bool, **kwargs: Any
) -> dict[str, int]:
    letters = Letter.objects.filter(pk__in=Letter.objects.filter(offers__in=offer_ids).values("pk"))
    return {"letters": cancel_unsent(letters, reason)}
