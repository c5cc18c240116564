"""The Danish words of reasons and explanations: the one place the engine's own wording lives.

(The standard file supplies the rest: group labels, trigger and exemption labels, quoted clauses.)
"""

from __future__ import annotations

from datetime import date

from fhb.core.eligibility.facts import in_force
from fhb.core.eligibility.model import LETTER_TEXT, RESPONSE_TEXT
from fhb.core.letters.texts import format_short_date
from fhb.core.population.model import EVENT_KINDS, Event
from fhb.core.standard.schema import Age, Exemption, Handover, TargetGroup

#: The end of the reason of an ``assess`` row.
ASSESS_TEXT = " — efter behov: en konsulent vurderer behovet, før der gives tilbud"


def offer_text(letter: str, response: str | None) -> str:
    """The end of an offer's reason: " — tilbud med besøgsdato og tidspunkt (framelding)"."""
    answer = RESPONSE_TEXT.get(response or "", "")
    return f" — {LETTER_TEXT[letter]}" + (f" ({answer})" if answer else "")


#: Before the offer's tail, for a group whose offer is a collective arrangement (``arrangement``).
ARRANGEMENT_TEXT = " — invitation til fællesarrangement; individuelt besøg i stedet, hvis borgeren ønsker det"


def arrangement_text(group: TargetGroup) -> str:
    """:data:`ARRANGEMENT_TEXT` for a group whose offer is a collective arrangement, else ""."""
    return ARRANGEMENT_TEXT if group.arrangement is not None else ""


def age_requirement(age: Age, year: int, on: date) -> str:
    if age.kind == "turns":
        return f"fylder {age.years} i {year}"
    if age.kind == "turns_at_least":
        return f"fylder {age.years} eller mere i {year}"
    if age.max_years is None:
        return f"er fyldt {age.min_years} år den {format_short_date(on)}"
    return f"er {age.min_years}–{age.max_years} år den {format_short_date(on)}"


def by_date(events: list[Event] | None) -> list[Event]:
    return sorted(events or (), key=lambda e: (e.start, e.kind, e.end or date.max))


def event_line(event: Event, on: date) -> str:
    end = format_short_date(event.end) if event.end else "…"
    state = "i kraft" if in_force(event, on) else "ikke i kraft"
    label = EVENT_KINDS.get(event.kind, event.kind)
    return f"{label} {format_short_date(event.start)}–{end} ({state} {format_short_date(on)})"


def kinds_text(kinds: tuple[str, ...] | list[str]) -> str:
    """A set of event kinds as words: "helhedspleje (Ældreloven)", "... og ..." for several."""
    labels = [EVENT_KINDS.get(kind, kind) for kind in kinds]
    return " og ".join(label[:1].lower() + label[1:] for label in labels)


def exemption_text(exemption: Exemption) -> str:
    """What an exemption asks for, with its alternatives: "modtager både personlig og praktisk hjælp, eller
    helhedspleje (Ældreloven)" (the label says ``when_all`` in the standard's words)."""
    alternatives = [kinds_text(kinds) for kinds in exemption.or_when_all]
    return ", eller ".join([exemption.label, *alternatives])


def sorted_kinds(exemption: Exemption) -> list[str]:
    """The kinds an exemption names, ``when_all`` first, each once, in the file's order."""
    return list(dict.fromkeys(kind for kinds in exemption.kind_sets for kind in kinds))


def handover_text(handover: Handover) -> str:
    """How a hand-over's reason starts: "Demenskoordinatoren overtager" (the receiver, capitalised)."""
    receiver = handover.receiver_text
    return f"{receiver[:1].upper()}{receiver[1:]} overtager"
