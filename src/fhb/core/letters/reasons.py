"""Why a citizen gets an offer, in a few plain Danish words for a letter: "fylder 80 år i år", "har afsluttet
et rehabiliteringsforløb".

A letter that offers one visit for several of a citizen's offers (she turns 80 and has ended a
rehabilitation) names each reason: "Du får tilbuddet, fordi du fylder 80 år i år, og fordi du har afsluttet
et rehabiliteringsforløb." The words follow from the standard: a plain group's age condition (and whether
she must live alone), a risk group's trigger by the kind of event that fired it. A trigger whose event has no
wording here is named by the standard's own label.

The phrases have no subject: the letter puts "du", "I" or a spouse's name in front.
"""

from __future__ import annotations

from fhb.core.standard.schema import Age, TargetGroup, Trigger

#: The course a trigger's event is, for events that start and end ("et rehabiliteringsforløb").
COURSES: dict[str, str] = {
    "rehabilitation": "et rehabiliteringsforløb",
    "chronic_rehab": "et rehabiliteringsforløb ved kronisk sygdom",
    "retraining": "en genoptræningsplan",
    "lifestyle_course": "en livsstilsindsats",
    "home_nursing": "et forløb med hjemmesygepleje",
}

#: What other trigger events say about the citizen.
EVENTS: dict[str, str] = {
    "bereavement": "har mistet en ægtefælle eller samlever",
    "spouse_to_nursing_home": "har en ægtefælle eller samlever, der er flyttet i plejebolig",
    "refugee": "har fået opholdstilladelse som flygtning",
    "hospital_admission": "har været indlagt på hospitalet",
    "serious_illness": "er ramt af alvorlig sygdom, selv eller i den nærmeste familie",
    "isolation": "lever meget isoleret",
    "sensory_loss": "har fået nedsat syn eller hørelse",
}

#: The reason of an offer granted on a request (no group of the standard).
REQUESTED = "har bedt om et besøg"


def age_reason(age: Age, *, lives_alone: bool = False) -> str:
    """ "fylder 80 år i år", "bor alene og fylder 70 år i år", "fylder 82 år eller mere i år"."""
    if age.kind == "turns":
        what = f"fylder {age.years} år i år"
    elif age.kind == "turns_at_least":
        what = f"fylder {age.years} år eller mere i år"
    elif age.max_years is None:
        what = f"er fyldt {age.min_years} år"
    else:
        what = f"er mellem {age.min_years} og {age.max_years} år"
    return f"bor alene og {what}" if lives_alone else what


def trigger_reason(trigger: Trigger) -> str:
    """ "har afsluttet et rehabiliteringsforløb", "har mistet en ægtefælle eller samlever"; the trigger's
    label when its event has no words here."""
    course = COURSES.get(trigger.event)
    if course is not None:
        verb = {"start": "er begyndt på", "end": "har afsluttet"}.get(trigger.anchor, "er i gang med")
        return f"{verb} {course}"
    if trigger.event == "hospital_admission" and trigger.min_events > 1:
        return "har været indlagt på hospitalet flere gange"
    return EVENTS.get(trigger.event) or f"er i målgruppen: {trigger.label}"


def offer_reason(group: TargetGroup | None, trigger_event: str = "") -> str:
    """Why an offer of ``group`` (fired by a trigger on ``trigger_event``, if any) is made; an offer of no
    group of the standard was granted on a request."""
    if group is None:
        return REQUESTED
    trigger = next((t for t in group.triggers if t.event == trigger_event), None) if trigger_event else None
    if trigger is not None:
        return trigger_reason(trigger)
    if group.age is not None:
        return age_reason(group.age, lives_alone=group.lives_alone)
    return f"er i målgruppen: {group.title}"
