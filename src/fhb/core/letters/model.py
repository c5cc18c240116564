"""A letter as plain data: who sends it, to whom, of which kind, and what it must say.

The Django side builds these records from offers, visits and settings; the core renders them to PDF
(:mod:`fhb.core.letters.render`) and wraps them for Digital Post (:mod:`fhb.core.letters.memo`).
Times are naive local times (Europe/Copenhagen): a letter says "kl. 10.00", never a UTC offset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class LetterKind(StrEnum):
    """The kinds of letter fhb writes. The value names the template file (``<kind>.typ``)."""

    OFFER_WITH_TIME = "offer_with_time"
    """An offer with a set or proposed time; says how to decline or move it."""
    OFFER_WITHOUT_TIME = "offer_without_time"
    """An offer without a time; says how to book one (phone hours, mail)."""
    INVITATION = "invitation"
    """An invitation to an activity (Hjørring's seniormesse: place, date, time), telling of the visit too."""
    NEW_TIME = "new_time"
    """The visit has a new time."""
    CANCELLATION = "cancellation"
    """The municipality cancels a visit (Herning: by the morning of the day)."""
    CLOSED_DOOR = "closed_door"
    """The note left at the door when the citizen did not open: date, time, signature line, how to call."""
    FOLLOW_UP = "follow_up"
    """A follow-up letter to a citizen who has not answered an offer (Ishøj: 75-year-olds after 3 months)."""


class Channel(StrEnum):
    """How a letter reaches the citizen."""

    DIGITAL_POST = "digital_post"
    PAPER = "paper"
    """Printed by the print service and posted (citizens exempt from Digital Post)."""
    BY_HAND = "by_hand"
    """Printed by the consultant and left at the door (the closed-door note)."""


class Response(StrEnum):
    """What the offer asks of the citizen."""

    OPT_IN = "opt_in"
    """The citizen contacts us to get a visit."""
    OPT_OUT = "opt_out"
    """The visit stays unless the citizen declines or moves it."""


@dataclass(frozen=True, slots=True)
class Sender:
    """The municipality's unit that sends the letters. Contact details are settings (made up in the demo)."""

    municipality: str
    """e.g. "Hjørring Kommune"."""
    municipality_code: int
    """The three-digit kommunekode."""
    cvr: str
    """The authority's CVR number (8 digits): the sender of a Digital Post message."""
    unit: str
    """e.g. "Forebyggende hjemmebesøg, Sundhedscenter Hjørring"."""
    street: str
    postcode: str
    city: str
    phone: str
    phone_hours: str
    """When the phone is answered, in words: "mandag-fredag kl. 8.00-9.00"."""
    email: str
    signature: str
    """Who signs: "De forebyggende medarbejdere"."""
    logo: bytes | None = None
    """The municipality's logo (PNG or SVG) for the letterhead; a plain name when absent."""
    logo_format: str = ""
    """``png`` or ``svg`` when ``logo`` is set."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """One addressee. An address-protected citizen's address appears on their own letter and nowhere else."""

    cpr: str
    """10 digits, no hyphen."""
    name: str
    street: str
    postcode: str
    city: str
    address_protected: bool = False


@dataclass(frozen=True, slots=True)
class Appointment:
    """A visit's time. ``proposed`` letters say "we suggest"; set ones say "we have planned"."""

    start: dt.datetime
    end: dt.datetime
    consultant: str = ""
    """The consultant's name, when the letter may say who comes."""
    proposed: bool = False


@dataclass(frozen=True, slots=True)
class VisitingHours:
    """When the municipality visits (the standard's ``[visiting_hours]``): the letter says "på hverdage kl.
    9.30-16.00"."""

    weekdays: tuple[str, ...]
    """``mon`` ... ``sun``."""
    start: dt.time
    end: dt.time


@dataclass(frozen=True, slots=True)
class Event:
    """An activity the letter invites to (the seniormesse): what, where and when."""

    name: str
    place: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class Letter:
    """Everything one letter says. A couple's joint letter has two recipients; otherwise one."""

    kind: LetterKind
    standard: str
    """The quality standard's id (``hjoerring``...): picks the municipality's own wording of the kind."""
    sender: Sender
    recipients: tuple[Recipient, ...]
    date: dt.date
    """The letter's date."""
    reference: str
    """The letter's id, printed on it so a call about it can be matched (also the MeMo message id)."""
    group: str = ""
    """The target group id of the offer (``age80``...), empty for letters not about an offer."""
    response: Response | None = None
    appointment: Appointment | None = None
    """The visit's (new) time: offer_with_time, new_time, closed_door."""
    previous: Appointment | None = None
    """The time that no longer holds: new_time, cancellation."""
    event: Event | None = None
    """The activity invited to (kind invitation); its first date when it is held several times."""
    other_events: tuple[Event, ...] = ()
    """The activity's other dates and places, in order (information meetings held in several places): the
    letter lists them all and the citizen chooses one."""
    arrangement: bool = False
    """The events are the offer itself (a collective arrangement instead of a visit): the letter tells of
    the individual visit the citizen may have instead."""
    duration_min: int | None = None
    """How long the visit lasts (1 h, 1½ h for a couple where the standard says so)."""
    reply_by: dt.date | None = None
    """Answer before this date (decline or move an opt-out time; a follow-up's deadline)."""
    purpose: str = ""
    """The standard's purpose of the visit for this group, when it gives one (Herning: loneliness)."""
    reasons: tuple[str, ...] = ()
    """Why the offer is made, each reason a clause with its subject ("du fylder 80 år i år", "du har afsluttet
    et rehabiliteringsforløb"): given when one visit answers several offers of one citizen (she is in two
    target groups), so the letter names them all; empty otherwise (the template words the group itself)."""
    reason: str = ""
    """Why the municipality cancels or moves a visit, when the letter should say it."""
    signed_by: str = ""
    """The consultant who signs (closed-door note)."""
    extra: dict[str, str] = field(default_factory=dict)
    """Template-specific values a municipality's own template may use."""
    visiting_hours: VisitingHours | None = None
    """When visits can be, where the standard says (Ishøj: weekdays 9.30-16)."""
    law: str = ""
    """The legal basis of the offer ("Servicelovens § 79a"): offer letters say "Tilbuddet gives efter ..."."""
    citizen_asked: tuple[str, ...] = ()
    """What the standard asks of the citizen at the visit, one sentence each (a smoke-free room, pets)."""
    notes: tuple[str, ...] = ()
    """Other sentences from the standard an offer letter states (no complaint to Ankestyrelsen)."""
    couple: bool = False
    """The citizen's spouse or partner at the address is offered a visit too: with a letter of their own
    unless this is the couple's joint letter."""

    def __post_init__(self) -> None:
        if not 1 <= len(self.recipients) <= 2:
            raise ValueError("a letter has one recipient, or two for a couple's joint letter")
        needs_time = (LetterKind.OFFER_WITH_TIME, LetterKind.NEW_TIME, LetterKind.CLOSED_DOOR)
        if self.kind in needs_time and self.appointment is None:
            raise ValueError(f"a {self.kind.value} letter needs an appointment")
        if self.kind is LetterKind.CANCELLATION and self.previous is None:
            raise ValueError("a cancellation letter needs the cancelled time (previous)")
        if self.kind is LetterKind.INVITATION and self.event is None:
            raise ValueError("an invitation letter needs the event")
        if self.other_events and self.event is None:
            raise ValueError("a letter with other events needs the first one (event)")

    @property
    def events(self) -> tuple[Event, ...]:
        """Every date and place the letter invites to, the first first."""
        return (self.event, *self.other_events) if self.event is not None else ()

    @property
    def joint(self) -> bool:
        return len(self.recipients) == 2
