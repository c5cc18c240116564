"""The quality-standard file format: one TOML file per municipality, validated by these pydantic models.

docs/standards.md explains the format key by key. In short: a file names the municipality and the approval,
then lists rules. Every rule has an ``id`` (unique in the file; decisions carry it as ``rule_id``), a
``clause`` (the Danish sentence(s) of the standard it implements, quoted verbatim) and, where a clause is
ambiguous, a ``reading`` that says which interpretation the settings express.

Units are in the key names: ``duration_min`` (minutes), ``min_weeks`` (weeks), ``deadline_days`` (days),
``years`` (completed years of age). Dates are TOML dates, times TOML local times.

The models only check each value and each table on its own; :func:`reference_problems` checks what refers
to what (a group id in an exemption's ``applies_to``, unique rule ids, ...). Load files with
:func:`fhb.core.standard.loader.load_standard`, which runs both.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from datetime import time
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from fhb.core.population.model import EVENT_KINDS

#: The version of the file format this module reads (key ``format``).
FORMAT_VERSION = 1

Letter = Literal["with_time", "without_time", "phone"]
"""``with_time``: the letter carries a set or proposed time; ``without_time``: the citizen contacts us;
``phone``: the offer is made by a telephone call, and a letter without a time follows only when the
citizen is not reached in ``[deadlines] contact_tries`` tries."""

Response = Literal["opt_in", "opt_out"]
"""``opt_in`` (tilmelding): the citizen must ask; ``opt_out`` (framelding): it happens unless declined."""

GroupDecision = Literal["offer", "assess"]
"""What membership of a group leads to: an offer, or an assessment of need by a consultant first."""

HandoverDecision = Literal["dementia_coordinator"]
"""What a hand-over can lead to (the contract's ``decision`` values other than offer/exempt/assess)."""

Anchor = Literal["start", "end", "in_force"]
"""What a trigger's window is counted from: the event's start, its end, or the time it is in force."""

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
"""A group id: lower-case ASCII letters, digits and underscores, starting with a letter."""

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.\-]*$", max_length=80)]
"""A rule id: like a group id, dots and hyphens also allowed (``risk.bereavement``)."""

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]


def _check_event_kind(kind: str) -> str:
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}; the contract's kinds are: {', '.join(EVENT_KINDS)}")
    return kind


EventKind = Annotated[str, AfterValidator(_check_event_kind)]
"""One of the contract's ``events.csv`` kinds (:data:`fhb.core.population.model.EVENT_KINDS`)."""


def _check_clause(value: str | list[str]) -> str | list[str]:
    parts = [value] if isinstance(value, str) else value
    if not parts or any(not part.strip() for part in parts):
        raise ValueError("a clause must quote at least one non-empty sentence of the standard")
    return value


Clause = Annotated[str | list[str], AfterValidator(_check_clause)]
"""The quoted sentence(s): one string, or a list of strings when the quoted sentences are not adjacent."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Rule(_Model):
    """Anything the standard says: an id, the clause it implements and, if ambiguous, the reading chosen."""

    id: RuleId
    clause: Clause
    reading: str | None = None

    @property
    def clauses(self) -> tuple[str, ...]:
        """The quoted sentence(s) as a tuple."""
        return (self.clause,) if isinstance(self.clause, str) else tuple(self.clause)

    @property
    def clause_text(self) -> str:
        """The quoted sentence(s) on one line, non-adjacent quotes joined by " … "."""
        return " … ".join(self.clauses)


class Municipality(_Model):
    name: Text
    code: int = Field(ge=101, le=999, description="kommunekode (three digits)")


class Approval(Rule):
    """Who approved the standard and when (the standard is versioned by this date)."""

    date: datetime.date
    date_precision: Literal["day", "month"] = "day"
    body: Text


class Facts(_Model):
    """How facts are read off the extract; each setting is a reading of the contract a file may switch."""

    adult_age_years: int = Field(default=18, ge=0, le=130)
    """A co-resident counts against "lives alone" from this age (contract: 18 or over)."""
    bereavement_from_civil_status: bool = True
    """Derive a ``bereavement`` on ``civil_status_date`` from civil status E or L (contract)."""
    bereavement_from_spouse_death: bool = True
    """Derive a ``bereavement`` on the spouse's ``death_date`` when the spouse's row has one."""


class Deadlines(_Model):
    """The time limits fhb keeps where a standard states none (docs/standards.md, "Deadlines").

    Each default is a reading of the law and of what a municipality can keep; a file sets its own
    ``[deadlines]`` table to change them. Days are calendar days unless the name says working days; a
    deadline that would fall on a weekend or a public holiday moves back to the working day before it.
    """

    assess_within_days: int = Field(default=14, ge=1, le=365)
    """An assessment (a by-need trigger, a referral) is decided within this many days of becoming known."""
    by_need_weeks: int = Field(default=12, ge=1, le=104)
    """The window of a by-need trigger with no stated time: from the event to the event + this many weeks."""
    letter_notice_days: int = Field(default=10, ge=1, le=90)
    """The least number of days between a letter's date and the visit it announces."""
    reply_days_before_visit: int = Field(default=3, ge=1, le=30)
    """An opt-out letter asks the citizen to answer by this many days before the visit (then the working
    day on or before)."""
    letter_delivery_working_days: int = Field(default=2, ge=0, le=10)
    """Working days a letter may take to reach the citizen: a cancellation that must be told sooner is a
    phone call."""
    contact_tries: int = Field(default=3, ge=1, le=10)
    """How many tries to reach a citizen by phone before an assessment ends as "not reached", and before
    an offer made by phone (``letter = "phone"``) goes out as a letter without a time."""

    @model_validator(mode="after")
    def _reply_inside_notice(self) -> Deadlines:
        if self.reply_days_before_visit >= self.letter_notice_days:
            raise ValueError(
                f"reply_days_before_visit ({self.reply_days_before_visit}) must be less than "
                f"letter_notice_days ({self.letter_notice_days}): the citizen needs time to answer"
            )
        return self


class Scope(Rule):
    """Who the standard addresses at all: a citizen in no target group gets no offer (``--all`` rows)."""


class Visit(Rule):
    duration_min: int = Field(gt=0, le=600)
    couple_duration_min: int | None = Field(default=None, gt=0, le=600)
    """Length of a couple's joint visit when both are offered (absent: the single length)."""


class Age(_Model):
    """An age condition.

    - ``turns``: the citizen turns ``years`` in the plan year (birth year + years = plan year).
    - ``turns_at_least``: the citizen is, or turns, ``years`` or more in the plan year (a yearly offer).
    - ``between``: the completed age on the date the visit becomes due (``due_from``) is at least
      ``min_years`` and, if given, at most ``max_years``.

    ``due_from_birthday`` (``turns``/``turns_at_least``): in the year the citizen turns ``years``, the offer
    is due from the birthday instead of 1 January (29 February counts as 1 March in a common year).
    """

    kind: Literal["turns", "turns_at_least", "between"]
    years: int | None = Field(default=None, ge=0, le=130)
    min_years: int | None = Field(default=None, ge=0, le=130)
    max_years: int | None = Field(default=None, ge=0, le=130)
    due_from_birthday: bool = False

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Age:
        if self.kind == "between":
            if self.min_years is None:
                raise ValueError("an age of kind 'between' needs min_years")
            if self.years is not None or self.due_from_birthday:
                raise ValueError("an age of kind 'between' takes min_years/max_years, not years")
            if self.max_years is not None and self.max_years < self.min_years:
                raise ValueError(f"max_years ({self.max_years}) is below min_years ({self.min_years})")
        else:
            if self.years is None:
                raise ValueError(f"an age of kind {self.kind!r} needs years")
            if self.min_years is not None or self.max_years is not None:
                raise ValueError(f"an age of kind {self.kind!r} takes years, not min_years/max_years")
        return self

    @property
    def lower_years(self) -> int:
        """The lowest age (in completed years) the condition can hold for."""
        value = self.min_years if self.kind == "between" else self.years
        assert value is not None
        return value


class Trigger(Rule):
    """A fact that places a citizen in a (risk) group for a window of time.

    The window runs from the anchor date + ``min_weeks`` to the anchor date + ``max_weeks`` (weeks of 7
    days), or in one other unit: ``min_days``/``max_days`` (days) or ``min_months``/``max_months`` (calendar
    months: 31 August + 6 months is the last day of February); one unit a trigger. Without a maximum (a visit
    "by need" with no stated time) the window runs from the anchor date
    for ``[deadlines] by_need_weeks`` weeks (12 unless the file says otherwise), across the year's end.
    ``in_force`` facts (a state, e.g. isolation) give the part of the
    plan year in which the fact is in force. ``min_events`` > 1 asks for repeated facts: the trigger fires on
    each event that is at least the ``min_events``-th of its kind within ``within_weeks``.
    """

    event: EventKind
    label: Text
    anchor: Anchor = "start"
    min_weeks: int | None = Field(default=None, ge=0, le=520)
    max_weeks: int | None = Field(default=None, ge=0, le=520)
    min_days: int | None = Field(default=None, ge=0, le=3650)
    max_days: int | None = Field(default=None, ge=0, le=3650)
    min_months: int | None = Field(default=None, ge=0, le=120)
    max_months: int | None = Field(default=None, ge=0, le=120)
    age: Age | None = None
    decision: GroupDecision | None = None
    letter: Letter | None = None
    min_events: int = Field(default=1, ge=1, le=100)
    within_weeks: int | None = Field(default=None, ge=1, le=520)

    @model_validator(mode="after")
    def _window_is_sane(self) -> Trigger:
        spans = {
            unit: (low, high)
            for unit, low, high in (
                ("weeks", self.min_weeks, self.max_weeks),
                ("days", self.min_days, self.max_days),
                ("months", self.min_months, self.max_months),
            )
            if low is not None or high is not None
        }
        if len(spans) > 1:
            raise ValueError(
                "a window takes one unit, not "
                + " and ".join(f"min_{unit}/max_{unit}" for unit in spans)
                + ": write it in weeks, days or months"
            )
        for unit, (low, high) in spans.items():
            if low is not None and high is None:
                raise ValueError(f"min_{unit} needs max_{unit} (or leave both out for a visit by need)")
            if low is not None and high is not None and low > high:
                raise ValueError(f"window min_{unit} ({low}) is greater than max_{unit} ({high})")
            if self.anchor == "in_force" and high is not None:
                raise ValueError(
                    f"an 'in_force' trigger takes no {unit}: its window is the time the fact is in force"
                )
        if self.min_events > 1 and self.within_weeks is None:
            raise ValueError("min_events > 1 needs within_weeks")
        if self.age is not None and self.age.kind != "between":
            raise ValueError("a trigger's age must be of kind 'between' (judged on the window's first day)")
        return self


class FollowUp(Rule):
    """A follow-up task ``after_months`` after the offer's letter. ``when = "no_answer"``: an answer from
    the citizen closes it; ``"always"``: it stays open whatever the citizen answers (a "no" still closes
    the offer's open work, the follow-up with it)."""

    after_months: int = Field(gt=0, le=60)
    when: Literal["no_answer", "always"] = "no_answer"


def group_name(label: str, title: str) -> str:
    """A group's name in full, as a list or a choice shows it: "Målgruppe 3: Alle borgere i det år de fylder
    80". The label is left out when the title starts with it, and when it is a name of its own rather than a
    number ("82 år og ældre", whose title "82-årige og ældre: mindst ét tilbud hvert år" names it again)."""
    if title.startswith(label) or not re.fullmatch(r"\D+ \d+", label):
        return title
    return f"{label}: {title}"


class TargetGroup(Rule):
    """A target group (målgruppe). ``id`` is the group id written in the output (``alone70``...)."""

    id: Identifier
    label: Text
    """Short Danish name used at the start of each reason, e.g. "Målgruppe 3"."""
    title: Text
    age: Age | None = None
    lives_alone: bool = False
    triggers: list[Trigger] = []
    """When non-empty the group holds a citizen only through one of these facts, each with its window."""
    decision: GroupDecision = "offer"
    letter: Letter | None = None
    """The letter of an offer; needed when the group (or one of its triggers) leads to an offer."""
    response: Response | None = None
    time: Literal["fixed", "proposed"] = "fixed"
    """A letter with a time: ``fixed`` says "we have planned your visit for", ``proposed`` "we suggest" (the
    citizen may take the time or ask for another): the planner's visits for the group are proposed."""
    visits: int = Field(default=1, ge=1, le=52)
    """Visits an offer is expected to give: the forecast counts offers × visits."""
    more_visits_by_assessment: bool = False
    referral_only: bool = False
    """The group is reached only by a referral a consultant registers (an assessment): no run places anyone
    in it (a risk group whose standard names no facts to find its citizens by). Needs an age, no triggers."""
    """The consultant may find at a held visit that another visit is needed (a new offer); without it the
    group's offer gives its ``visits`` and no more."""
    purpose: str | None = None
    invitation: RuleId | None = None
    """The id of an activity (``[[activities]]``) the letter also invites to, e.g. the senior fair."""
    arrangement: RuleId | None = None
    """The id of an activity whose events are the offer itself: a collective arrangement (an information
    meeting held in several places) instead of a visit, as the executive order allows. The letter invites to
    every date and place of it in the offer's period and tells of the individual visit the citizen may
    have instead; the citizen signs up for one event, or asks for the visit (an answer "yes"); a citizen who
    signed up and did not come is offered the visit (a worklist task). Needs ``letter = "without_time"``
    and ``response = "opt_in"``; not with ``invitation``."""
    follow_up: FollowUp | None = None

    @property
    def name(self) -> str:
        """The group's name in full (:func:`group_name`); ``label`` is the short one."""
        return group_name(self.label, self.title)

    @property
    def invites_to(self) -> str | None:
        """The activity the group's letter invites to: its ``arrangement`` or its ``invitation``."""
        return self.arrangement or self.invitation

    @model_validator(mode="after")
    def _has_a_condition(self) -> TargetGroup:
        if self.age is None and not self.triggers:
            raise ValueError("a group needs an age condition or triggers (or both)")
        if self.referral_only and (self.triggers or self.age is None):
            raise ValueError("a referral_only group needs an age and no triggers: a run places no one in it")
        paths = [(self.decision, self.letter)] if not self.triggers else []
        paths += [(t.decision or self.decision, t.letter or self.letter) for t in self.triggers]
        if any(decision == "offer" for decision, _ in paths) and self.response is None:
            raise ValueError("a group that leads to an offer needs response (opt_in or opt_out)")
        if any(decision == "offer" and letter is None for decision, letter in paths):
            raise ValueError("a group that leads to an offer needs letter (with_time, without_time or phone)")
        if self.arrangement is not None:
            if self.invitation is not None:
                raise ValueError("a group has invitation or arrangement, not both")
            if any(decision == "offer" and letter != "without_time" for decision, letter in paths):
                raise ValueError('a group whose offer is an arrangement needs letter = "without_time"')
            if self.response != "opt_in":
                raise ValueError('a group whose offer is an arrangement needs response = "opt_in"')
        if self.time == "proposed" and not any(
            decision == "offer" and letter == "with_time" for decision, letter in paths
        ):
            raise ValueError('time = "proposed" needs an offer whose letter is "with_time"')
        return self


class Exemption(Rule):
    """Citizens in the groups ``applies_to`` for whom every fact in ``when_all`` is in force on the extract
    date (and who are ``min_age_years`` or over then, if given) get decision ``exempt``.

    ``or_when_all`` lists alternative sets of kinds: the exemption also holds when every fact of one of them
    is in force. The shipped standards' home-care exemption (``when_all = ["personal_care",
    "practical_help"]``, the two kinds of Serviceloven § 83) has ``or_when_all = [["holistic_care"]]``: since
    the 2025 reform the same citizens are granted helhedspleje under the Ældrelov (DOMAIN.md). Without the
    key only ``when_all`` counts, as before."""

    label: Text
    when_all: list[EventKind] = Field(min_length=1)
    or_when_all: list[Annotated[list[EventKind], Field(min_length=1)]] = []
    min_age_years: int | None = Field(default=None, ge=0, le=130)
    applies_to: list[Identifier] = Field(min_length=1)
    applies_to_text: str | None = None

    @property
    def kind_sets(self) -> tuple[tuple[str, ...], ...]:
        """``when_all``, then each alternative of ``or_when_all``: the exemption holds when one set holds."""
        return (tuple(self.when_all), *(tuple(kinds) for kinds in self.or_when_all))

    @property
    def kinds(self) -> frozenset[str]:
        """Every kind the exemption names, in ``when_all`` or an alternative."""
        return frozenset(kind for kinds in self.kind_sets for kind in kinds)

    @model_validator(mode="after")
    def _alternatives_differ(self) -> Exemption:
        seen: list[frozenset[str]] = []
        for kinds in self.kind_sets:
            if frozenset(kinds) in seen:
                raise ValueError(f"or_when_all repeats the set of kinds {list(kinds)!r}")
            seen.append(frozenset(kinds))
        return self


class Handover(Rule):
    """Citizens in ``applies_to`` with a fact of ``when_any`` in force on the extract date (or, with
    ``also_spouse``, whose spouse has one) are handed over: their decision becomes ``decision``, and the
    reason and the queue name ``receiver`` (Danish, "demenskoordinatoren" unless the file says otherwise)."""

    label: Text
    when_any: list[EventKind] = Field(min_length=1)
    decision: HandoverDecision
    receiver: Text | None = None
    also_spouse: bool = False
    applies_to: list[Identifier] = Field(min_length=1)
    applies_to_text: str | None = None

    @property
    def receiver_text(self) -> str:
        """Who takes the citizen over, in Danish ("demenskoordinatoren"): ``receiver`` or the default."""
        return self.receiver or {"dementia_coordinator": "demenskoordinatoren"}[self.decision]


class Couples(Rule):
    """Letters to couples: when both partners at one address are offered in ``groups``, each offer gets
    ``letter``; ``joint_letter`` chooses one letter to the couple instead of one to each."""

    groups: list[Identifier] = Field(min_length=1)
    letter: Letter
    response: Response
    joint_letter: bool = False


class VisitingHours(Rule):
    weekdays: list[Weekday] = Field(min_length=1)
    start: time
    end: time

    @model_validator(mode="after")
    def _start_before_end(self) -> VisitingHours:
        if self.start >= self.end:
            raise ValueError(f"start ({self.start}) must be before end ({self.end})")
        return self


class AgeRange(_Model):
    min_years: int = Field(ge=0, le=130)
    max_years: int = Field(ge=0, le=130)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.max_years < self.min_years:
            raise ValueError(f"max_years ({self.max_years}) is below min_years ({self.min_years})")
        return self


class Requests(Rule):
    """Visits on request (henvendelse): who may ask, for whom, and how fast it is answered.

    ``declined_may_ask_later``: a citizen who declined this year's offer may later ask and have the request
    granted (true, the default; Herning says so); false refuses to grant it."""

    age_ranges: list[AgeRange] = []
    who_may_ask: list[Literal["citizen", "relative_with_consent", "staff_with_consent"]] = ["citizen"]
    deadline_days: int | None = Field(default=None, gt=0, le=365)
    declined_may_ask_later: bool = True


class ClosedDoor(Rule):
    """What the consultant does when the citizen does not open at an agreed visit, in order.

    ``steps`` are what the consultant does at the door; ``journal_note`` makes the system write the journal
    entry that the procedure was followed (no step of its own).
    """

    steps: list[Text] = Field(min_length=1)
    journal_note: bool = False


#: What a journal note may name when a standard's [journal] table does not list its own (the conversation's
#: subjects and themes in Herning's words, which the other two standards do not list).
DEFAULT_TOPICS = [
    "Dagligdag",
    "Trivsel",
    "Socialt netværk",
    "Boligforhold",
    "Økonomi",
    "Sundhedstilstand",
    "Funktionsniveau",
]
DEFAULT_THEMES = ["Kost", "Ensomhed", "Faldforebyggelse", "Tryghed", "Fysisk aktivitet"]


class Journal(Rule):
    """What a journal note holds: the conversation's topics and themes, and the municipality's own offers a
    consultant may refer the citizen to. ``pass_on_consent``: the note asks whether the citizen consents to
    information being passed on (Herning: before any help is set going)."""

    topics: list[Text] = Field(default_factory=lambda: list(DEFAULT_TOPICS))
    themes: list[Text] = Field(default_factory=lambda: list(DEFAULT_THEMES))
    referrals: list[Text] = []
    pass_on_consent: bool = True


class LetterText(Rule):
    """One sentence the offer letters print, in plain Danish, with the clause of the standard it comes from.
    Worded without "du"/"I" (a couple's joint letter prints it too)."""

    text: Text


class Letters(_Model):
    """What the offer letters tell the citizen beyond the offer itself (a plain table of rules)."""

    citizen_asked: list[LetterText] = []
    """What the standard asks of the citizen at the visit (a smoke-free room, pets): a short list."""
    notes: list[LetterText] = []
    """Other things the standard says the citizen should know (no complaint to Ankestyrelsen)."""
    templates: str | None = None
    """A folder of the municipality's own letter templates (``offer_with_time.typ``, ...), relative to the
    standard file's folder; :func:`fhb.core.standard.loader.load_standard` makes it absolute. Its templates
    come before the shipped ones (docs/standards.md, "Letters as data")."""


class Cancellation(Rule):
    """When the consultant cancels: ``notice = "morning_of_day"``: the citizen is told by the morning of the
    visit's day at the latest (a letter only when it arrives in time); ``agree_new_visit``: a new visit."""

    notice: Literal["morning_of_day"]
    agree_new_visit: bool = True


class Interpreter(Rule):
    """``available``: an interpreter can be booked for a visit; ``requires_prior_agreement``: only before
    the visit begins ("hvis det er aftalt inden mødet")."""

    available: bool = True
    requires_prior_agreement: bool = True


class Activity(Rule):
    """A collective activity: the senior fair (seniormesse), talks in clubs and associations, information
    meetings (a collective arrangement held in several places, ``information_meeting``)."""

    name: Text
    kind: Literal["senior_fair", "club_visit", "information_meeting"]
    duration_min: int | None = Field(default=None, gt=0, le=1440)
    min_age_years: int | None = Field(default=None, ge=0, le=130)
    """Who may sign up for the activity's events: this age or over on the day (absent: 65, the law's)."""


class QualityGoal(Rule):
    groups: list[Identifier] = Field(min_length=1)
    goal: Literal["all_offered_in_year", "offered_by_need"]


class Statistics(Rule):
    """The figures the standard names (``offered``: offers given, ``completed``: visits held): the
    statistics page shows them per group in a table of their own, quoting the clause."""

    measures: list[Literal["offered", "completed"]] = Field(min_length=1)


class Law(_Model):
    """The legal basis as a table (``[law]``), for a standard whose law has changed since it was approved:
    ``basis`` is what fhb cites (letters, ``fhb explain``); ``as_approved`` what the approved text names, e.g.
    Serviceloven § 79 a, repealed by the 2025 reform (DOMAIN.md, "The law since 2025")."""

    basis: Text
    as_approved: Text | None = None
    reading: str | None = None


class QualityStandard(_Model):
    """One municipality's quality standard for preventive home visits (one TOML file)."""

    format: Literal[1]
    id: Identifier
    title: Text
    law: Text | Law
    """The legal basis fhb cites: a string as the standard states it ("Servicelovens § 79a"), or a
    :class:`Law` table."""
    source: str | None = None
    municipality: Municipality
    approval: Approval
    facts: Facts = Facts()
    deadlines: Deadlines = Deadlines()
    scope: Scope
    visit: Visit
    groups: list[TargetGroup] = Field(min_length=1)
    exemptions: list[Exemption] = []
    handovers: list[Handover] = []
    couples: Couples | None = None
    visiting_hours: VisitingHours | None = None
    requests: Requests | None = None
    closed_door: ClosedDoor | None = None
    journal: Journal | None = None
    cancellation: Cancellation | None = None
    interpreter: Interpreter | None = None
    activities: list[Activity] = []
    quality_goals: list[QualityGoal] = []
    statistics: Statistics | None = None
    letters: Letters = Letters()

    def rules(self) -> Iterator[tuple[str, Rule]]:
        """Every rule of the file with its key path (``groups[4].triggers[0]``), in file order."""
        yield "approval", self.approval
        yield "scope", self.scope
        yield "visit", self.visit
        for i, group in enumerate(self.groups):
            yield f"groups[{i}]", group
            for j, trigger in enumerate(group.triggers):
                yield f"groups[{i}].triggers[{j}]", trigger
            if group.follow_up is not None:
                yield f"groups[{i}].follow_up", group.follow_up
        for name, items in (
            ("exemptions", self.exemptions),
            ("handovers", self.handovers),
            ("activities", self.activities),
            ("quality_goals", self.quality_goals),
        ):
            for i, item in enumerate(items):
                yield f"{name}[{i}]", item
        for name in (
            "couples",
            "visiting_hours",
            "requests",
            "closed_door",
            "journal",
            "cancellation",
            "interpreter",
        ):
            rule = getattr(self, name)
            if rule is not None:
                yield name, rule
        if self.statistics is not None:
            yield "statistics", self.statistics
        for name in ("citizen_asked", "notes"):
            for i, text in enumerate(getattr(self.letters, name)):
                yield f"letters.{name}[{i}]", text

    @property
    def legal_basis(self) -> str:
        """The law fhb cites for the visits: ``law``, or ``law.basis`` of the table form."""
        return self.law if isinstance(self.law, str) else self.law.basis

    @property
    def legal_basis_text(self) -> str:
        """The legal basis as a line shows it: "Ældreloven (kvalitetsstandarden: Servicelovens § 79a)" when
        the table names what the approved text says, else :attr:`legal_basis`."""
        if isinstance(self.law, Law) and self.law.as_approved and self.law.as_approved != self.law.basis:
            return f"{self.law.basis} (kvalitetsstandarden: {self.law.as_approved})"
        return self.legal_basis

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        for _, rule in self.rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def rule_ids(self) -> frozenset[str]:
        return frozenset(rule.id for _, rule in self.rules())

    def group(self, group_id: str) -> TargetGroup:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(group_id)


def reference_problems(standard: QualityStandard) -> list[tuple[str, str]]:
    """What refers to what: ``(key path, why)`` for each broken reference; empty when the file is sound."""
    problems: list[tuple[str, str]] = []
    group_ids = [group.id for group in standard.groups]
    known_groups = set(group_ids)
    activity_ids = {activity.id for activity in standard.activities}

    seen_groups: set[str] = set()
    for i, group_id in enumerate(group_ids):
        if group_id in seen_groups:
            problems.append((f"groups[{i}].id", f"group id {group_id!r} is used twice"))
        seen_groups.add(group_id)

    seen_rules: dict[str, str] = {}
    for path, rule in standard.rules():
        if rule.id in seen_rules:
            problems.append((f"{path}.id", f"rule id {rule.id!r} is also used by {seen_rules[rule.id]}"))
        else:
            seen_rules[rule.id] = path

    def check_groups(path: str, ids: list[str]) -> None:
        for k, group_id in enumerate(ids):
            if group_id not in known_groups:
                problems.append(
                    (
                        f"{path}[{k}]",
                        f"unknown group {group_id!r}; the file's groups are: {', '.join(group_ids)}",
                    )
                )

    for i, exemption in enumerate(standard.exemptions):
        check_groups(f"exemptions[{i}].applies_to", exemption.applies_to)
    for i, handover in enumerate(standard.handovers):
        check_groups(f"handovers[{i}].applies_to", handover.applies_to)
    if standard.couples is not None:
        check_groups("couples.groups", standard.couples.groups)
    for i, goal in enumerate(standard.quality_goals):
        check_groups(f"quality_goals[{i}].groups", goal.groups)
    for i, group in enumerate(standard.groups):
        for key, activity in (("invitation", group.invitation), ("arrangement", group.arrangement)):
            if activity is not None and activity not in activity_ids:
                problems.append((f"groups[{i}].{key}", f"unknown activity {activity!r}"))
        kinds = {a.id: a.kind for a in standard.activities}
        if kinds.get(group.arrangement or "") == "club_visit":
            problems.append(
                (
                    f"groups[{i}].arrangement",
                    f"activity {group.arrangement!r} is a club visit, which has no dates to sign up for;"
                    " an arrangement needs an information_meeting or a senior_fair",
                )
            )
    return problems
