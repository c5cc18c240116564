"""Citizens who answered "never again": kept as a ``declined_all`` fact the engine sees on every run.

The fact lives with the answer, not in the imported extract, so a re-import cannot lose it.
"""

from __future__ import annotations

from datetime import date

from fhb.core.population.model import Event
from fhb.core.standard.schema import QualityStandard
from fhb.offers.models import Answer, Offer

NEVER_AGAIN_NOTE = "Borgeren har frabedt sig tilbud fremover (registreret svar)"


def honours_never_again(standard: QualityStandard) -> bool:
    return any("declined_all" in e.kinds for e in standard.exemptions)


def declined_all_events(cprs: set[str] | None = None) -> list[Event]:
    """A ``declined_all`` fact for each citizen who answered "never again" (kept across re-imports)."""
    answers = Answer.objects.filter(reply=Offer.Reply.NEVER_AGAIN).select_related("offer__citizen")
    if cprs is not None:
        answers = answers.filter(offer__citizen__cpr__in=cprs)
    first: dict[str, date] = {}
    for answer in answers:
        cpr = answer.offer.citizen.cpr
        first[cpr] = min(first.get(cpr, answer.received), answer.received)
    return [
        Event(cpr=cpr, kind="declined_all", start=day, note=NEVER_AGAIN_NOTE) for cpr, day in first.items()
    ]
