"""Facts about citizens that the rules ask for, read off a population once and indexed for speed.

Built once per evaluation, in one pass over the citizens: the living adults of each address (for "lives
alone" and couples), the care system's events by CPR (only the kinds the standard asks about), death dates,
and the bereavements derived from civil status and from a spouse's death.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date

from fhb.core.population.model import WIDOWED_CODES, Citizen, Event, Population

#: Civil status codes of a married or partnered person (contract: G married, P registered partnership).
PARTNERED_CODES = frozenset({"G", "P"})

#: Where a bereavement comes from (shown in reasons and explanations).
SOURCE_EVENT = "events.csv"
SOURCE_CIVIL_STATUS = "civilstand"
SOURCE_SPOUSE_DEATH = "ægtefælles dødsdato"


def years_before(on: date, years: int) -> date:
    """The latest birth date of a person who is ``years`` old or more on ``on`` (29 February counts as
    1 March in a common year, as :meth:`Citizen.age_on` does)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # on is 29 February and the year `years` back is a common year
        return date(on.year - years, 2, 28)


def birthday_in(birth_date: date, year: int) -> date:
    """The citizen's birthday in ``year``; 29 February becomes 1 March in a common year."""
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on ``on``."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def in_force(event: Event, on: date) -> bool:
    """A fact is in force on ``on`` when start <= on and (end is empty or on <= end)."""
    return event.start <= on and (event.end is None or on <= event.end)


class Facts:
    """The indexes of one population on one extract date (see the module docstring)."""

    __slots__ = (
        "_adult_cutoff",
        "_adults",
        "_bereavements",
        "_death_dates",
        "_events",
        "_from_spouse_death",
        "_since",
        "_triggering",
        "on",
        "population",
    )

    def __init__(
        self,
        population: Population,
        on: date,
        *,
        event_kinds: frozenset[str] | None,
        adult_age_years: int,
        bereavement_from_civil_status: bool,
        bereavement_from_spouse_death: bool,
        bereavements_since: date | None = None,
        is_trigger: Callable[[Event], bool] | None = None,
    ) -> None:
        """``event_kinds``: the kinds to index (None: all). ``bereavements_since``: derive only losses on or
        after this date (None: all). ``is_trigger``: tells the events that may open a trigger window in the
        plan year (None: every event)."""
        self.on = on
        self.population = population
        self._from_spouse_death = bereavement_from_spouse_death
        cutoff = years_before(on, adult_age_years)
        self._adult_cutoff = cutoff
        adults: dict[str, Citizen | list[Citizen]] = {}
        adults_get = adults.get
        dead: list[Citizen] = []
        bereavements: dict[str, list[tuple[date, str]]] = {}
        widowed = WIDOWED_CODES if bereavement_from_civil_status else frozenset()
        since = bereavements_since or date.min
        self._since = since
        for citizen in population.citizens:
            died = citizen.death_date
            if died is not None:
                dead.append(citizen)
            if died is not None and died <= on:
                continue
            lost = citizen.civil_status_date
            if lost is not None and lost >= since and citizen.civil_status in widowed:
                bereavements.setdefault(citizen.cpr, []).append((lost, SOURCE_CIVIL_STATUS))
            if citizen.birth_date <= cutoff:
                address = citizen.address_id
                present = adults_get(address)
                if present is None:
                    adults[address] = citizen
                elif isinstance(present, list):
                    present.append(citizen)
                else:
                    adults[address] = [present, citizen]
        death_dates: dict[str, date] = {}
        for deceased in dead:
            died = deceased.death_date
            assert died is not None
            death_dates[deceased.cpr] = died
            if bereavement_from_spouse_death and deceased.spouse_cpr is not None and died >= since:
                # The deceased names the survivor; the other direction is looked up in bereavements_of.
                bereavements.setdefault(deceased.spouse_cpr, []).append((died, SOURCE_SPOUSE_DEATH))
        events: dict[str, list[Event]] = {}
        events_get = events.get
        triggering: set[str] = set()
        for event in population.events:
            if event_kinds is None or event.kind in event_kinds:
                listed = events_get(event.cpr)
                if listed is None:
                    events[event.cpr] = [event]
                else:
                    listed.append(event)
                if is_trigger is None or is_trigger(event):
                    triggering.add(event.cpr)
        self._triggering = triggering
        self._adults = adults
        self._events = events
        self._bereavements = bereavements
        self._death_dates = death_dates

    def citizen(self, cpr: str) -> Citizen | None:
        """The citizen with this CPR number (a scan: for one-off look-ups such as explanations)."""
        return next((c for c in self.population.citizens if c.cpr == cpr), None)

    def lookups(
        self,
    ) -> tuple[
        Callable[[str], list[Event] | None],
        Callable[[str], list[tuple[date, str]] | None],
        Mapping[str, date],
        AbstractSet[str],
    ]:
        """For a hot loop: ``events_of`` by CPR, the bereavements known before looking at the spouse (by
        CPR), the death dates by CPR (call :meth:`bereavements_of` when the spouse has one), and the CPRs
        with an event that may open a trigger window in the plan year."""
        return self._events.get, self._bereavements.get, self._death_dates, self._triggering

    def events_of(self, cpr: str) -> list[Event] | None:
        """The indexed events about ``cpr``, in input order; None when there are none."""
        return self._events.get(cpr)

    def bereavements_of(self, citizen: Citizen) -> list[tuple[date, str]] | None:
        """Losses of a spouse derived from the extract: (date, source); None when there are none.

        From civil status E/L and its date, from a deceased person's ``spouse_cpr`` naming the citizen, and
        from the citizen's ``spouse_cpr`` naming a person with a death date.
        """
        found = self._bereavements.get(citizen.cpr)
        spouse = citizen.spouse_cpr
        if spouse is not None and self._from_spouse_death:
            died = self._death_dates.get(spouse)
            if died is not None and died >= self._since:
                found = [*(found or ()), (died, SOURCE_SPOUSE_DEATH)]
        return found

    def is_alive(self, citizen: Citizen) -> bool:
        return citizen.death_date is None or citizen.death_date > self.on

    def is_adult(self, citizen: Citizen) -> bool:
        return citizen.birth_date <= self._adult_cutoff

    def adults_at(self, address_id: str) -> Citizen | list[Citizen] | None:
        """The living adults at an address on the extract date: None, one citizen, or a list of 2 or more."""
        return self._adults.get(address_id)

    def lives_alone(self, citizen: Citizen) -> bool:
        """No other living person of adult age has the citizen's address on the extract date."""
        present = self._adults.get(citizen.address_id)
        if present is None or present is citizen:
            return True
        if isinstance(present, list):
            return all(other is citizen for other in present)
        return False

    def co_resident_partner(self, citizen: Citizen) -> Citizen | None:
        """The spouse or partner living at the citizen's address on the extract date, if any.

        The adult at the address whom the citizen names as ``spouse_cpr``; else (the citizen names nobody)
        the adult there who names the citizen (the lowest CPR if several do); else, for a married or
        partnered citizen, the only other adult there when that person is married or partnered too and
        names nobody.
        """
        present = self._adults.get(citizen.address_id)
        if not isinstance(present, list):
            return None
        spouse = citizen.spouse_cpr
        if spouse is not None:
            for other in present:
                if other.cpr == spouse:
                    return other
            return None
        others = [other for other in present if other is not citizen]
        claimants = [other for other in others if other.spouse_cpr == citizen.cpr]
        if claimants:
            return min(claimants, key=lambda other: other.cpr)
        if citizen.civil_status in PARTNERED_CODES and len(others) == 1 and len(present) == 2:
            other = others[0]
            if other.civil_status in PARTNERED_CODES and other.spouse_cpr is None:
                return other
        return None

    def partner_cpr(self, citizen: Citizen) -> str | None:
        """The CPR of the living spouse or partner, wherever they live: the citizen's ``spouse_cpr``, else
        the co-resident partner (:meth:`co_resident_partner`); None when dead or none."""
        found = citizen.spouse_cpr
        if found is None:
            partner = self.co_resident_partner(citizen)
            found = partner.cpr if partner is not None else None
        if found is None:
            return None
        died = self._death_dates.get(found)
        return found if died is None or died > self.on else None

    def household(self, citizen: Citizen) -> list[Citizen]:
        """Everyone else with the citizen's address (any age, alive or not), by CPR; scans the population."""
        return sorted(
            (
                other
                for other in self.population.citizens
                if other.address_id == citizen.address_id and other.cpr != citizen.cpr
            ),
            key=lambda other: other.cpr,
        )
