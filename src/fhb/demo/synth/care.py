"""Facts from the care system and referrals (events.csv rows) drawn for one synthetic person.

Rates by age band are in :mod:`fhb.demo.synth.figures`. Dates are day ordinals (``date.toordinal()``) relative
to the extract date; a fact that ended lies before the extract date, a fact in force has an empty end. For a
person who died in the months before the extract, facts start before the death and those in force end on
the day of death.

Each person faces the same list of independent yes/no draws (:data:`_DRAWS`), with probabilities that depend
on age band and a few circumstances. Most people get none of them, so the draws are made in one step: a
single uniform number decides whether any happens and, if so, which is the first; only the draws after it
are made one by one. This gives exactly the distribution of drawing each in turn, with far fewer random
numbers (it matters at national scale).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cache

from fhb.demo.synth import figures as f

#: Writes one events.csv row: cpr, kind, start (ordinal), end (ordinal or None), note.
EventSink = Callable[[str, str, int, int | None, str], None]

_ISOLATION_NOTES = ("sprog og kultur", "langvarig sygdom", "sansetab", "ensomhed")
_SERIOUS_ILLNESS_NOTES = (
    "egen sygdom",
    "egen sygdom",
    "egen sygdom",
    "ægtefælles sygdom",
    "nær families sygdom",
)
_SENSORY_NOTES = ("syn", "hørelse", "syn og hørelse")
_INTERPRETER_NOTES = ("ukrainsk", "arabisk", "tyrkisk", "polsk", "tegnsprog")

#: The independent draws, in the order they are made (a later one may look at what an earlier one did).
_DRAWS = (
    "home_care",
    "home_care_ended",
    "dementia",
    "rehabilitation",
    "rehabilitation_ongoing",
    "chronic_rehab",
    "retraining",
    "retraining_ongoing",
    "lifestyle_course",
    "home_nursing",
    "home_nursing_ended",
    "hospital_admission",
    "serious_illness",
    "isolation",
    "sensory_loss",
    "declined_all",
    "interpreter",
)
_ONGOING_SHARE = 8 / 52  # courses in force: those begun in the last 8 weeks of a yearly incidence


@cache
def _plan(
    b: int, nursing_home: bool, alone: bool, age70: bool, age75: bool, refugee: bool
) -> tuple[tuple[float, ...], float, tuple[float, ...]]:
    """Probabilities of the draws for one kind of person, the chance that none happens, and the chance of
    each draw being the first that happens (c_j * p_j, with c_j the chance that none before j happens)."""
    home = 0.0 if nursing_home else 1.0
    p = {
        "home_care": f.HOME_CARE[b] * home,
        "home_care_ended": f.HOME_CARE[b] * f.HOME_CARE_ENDED_FACTOR * home,
        "dementia": f.DEMENTIA_NURSING_HOME
        if nursing_home
        else f.DEMENTIA_PREVALENCE[b] * f.DEMENTIA_DIAGNOSED,
        "rehabilitation": f.REHABILITATION[b],
        "rehabilitation_ongoing": f.REHABILITATION[b] * _ONGOING_SHARE,
        "chronic_rehab": f.CHRONIC_REHAB[b],
        "retraining": f.RETRAINING[b],
        "retraining_ongoing": f.RETRAINING[b] * _ONGOING_SHARE,
        "lifestyle_course": f.LIFESTYLE_COURSE[b],
        "home_nursing": f.HOME_NURSING[b],
        "home_nursing_ended": f.HOME_NURSING[b] * f.HOME_NURSING_ENDED_FACTOR,
        "hospital_admission": f.HOSPITAL_ADMISSION[b],
        "serious_illness": f.SERIOUS_ILLNESS,
        "isolation": f.ISOLATION_ALONE if alone else f.ISOLATION,
        "sensory_loss": f.SENSORY_LOSS_75_PLUS if age75 else 0.0,
        "declined_all": f.DECLINED_ALL_70_PLUS if age70 else 0.0,
        "interpreter": f.INTERPRETER_REFUGEES if refugee else f.INTERPRETER_OTHERS,
    }
    probabilities = tuple(p[name] for name in _DRAWS)
    none_before = 1.0
    first = []
    for q in probabilities:
        first.append(none_before * q)
        none_before *= 1.0 - q
    return probabilities, none_before, tuple(first)


class CareFacts:
    """Draws the facts of one person and hands them to an :data:`EventSink`."""

    def __init__(self, rng: random.Random, extract_ordinal: int, sink: EventSink) -> None:
        self._rng = rng
        self._d = extract_ordinal
        self._sink = sink
        self.events = 0

    def emit(self, cpr: str, kind: str, start: int, end: int | None, note: str = "") -> None:
        """Write one fact and count it."""
        self._sink(cpr, kind, start, end, note)
        self.events += 1

    def _days_back(self, lo: int, hi: int) -> int:
        """An ordinal between ``lo`` and ``hi`` days before the extract date (lo <= hi)."""
        return self._d - lo - int(self._rng.random() * (hi - lo + 1))

    def draw(
        self,
        cpr: str,
        age: int,
        male: bool,
        *,
        nursing_home: bool,
        alone: bool,
        refugee_since: int | None,
        death: int | None,
    ) -> bool:
        """Draw and emit the person's facts; returns True when a dementia fact was emitted."""
        rng = self._rng
        probabilities, none, first = _plan(
            f.band(age), nursing_home, alone, age >= 70, age >= 75, refugee_since is not None
        )
        if refugee_since is not None:
            self.emit(cpr, "refugee", refugee_since, None, "opholdstilladelse")
        u = rng.random()
        if u < none:
            return False
        # Which draw is the first to happen: walk the intervals of first[j] laid after [0, none).
        u -= none
        start = len(first) - 1
        for j, share in enumerate(first):
            if u < share:
                start = j
                break
            u -= share
        happened = [_DRAWS[start]]
        for j in range(start + 1, len(_DRAWS)):
            if rng.random() < probabilities[j]:
                happened.append(_DRAWS[j])
        return self._emit_facts(cpr, age, happened, death, refugee_since)

    def _emit_facts(
        self, cpr: str, age: int, happened: list[str], death: int | None, refugee_since: int | None
    ) -> bool:
        rng = self._rng
        d = self._d
        b = f.band(age)
        horizon = d - 1 if death is None else death
        in_force_end = None if death is None else death
        earliest = d - (age - 50) * 365  # nothing reaches back before the age of 50
        done: set[str] = set()

        def since(mean_days: float, minimum: int = 7) -> int:
            return min(max(d - minimum - int(rng.expovariate(1.0 / mean_days)), earliest), horizon)

        def ended_course(kind: str, min_days: int, max_days: int) -> None:
            end = self._days_back(1, 365)
            if end <= horizon:
                length = min_days + int(rng.random() * (max_days - min_days + 1))
                self.emit(cpr, kind, end - length + 1, end)

        def ongoing_course(kind: str) -> None:
            start = self._days_back(1, 56)
            if start <= horizon:
                self.emit(cpr, kind, start, in_force_end)

        for name in happened:
            if name == "home_care":
                r = rng.random()
                start = since(900.0)
                if r < f.HOME_CARE_BOTH[b] and start >= f.HOLISTIC_CARE_FROM:
                    self.emit(cpr, "holistic_care", start, in_force_end)
                elif r < f.HOME_CARE_BOTH[b]:
                    self.emit(cpr, "practical_help", start, in_force_end)
                    personal = min(start + int(rng.random() * max(1, horizon - start)), horizon)
                    self.emit(cpr, "personal_care", personal, in_force_end)
                elif r < f.HOME_CARE_BOTH[b] + f.HOME_CARE_PERSONAL_ONLY:
                    self.emit(cpr, "personal_care", start, in_force_end)
                else:
                    self.emit(cpr, "practical_help", start, in_force_end)
            elif name == "home_care_ended":
                if "home_care" not in done:
                    end = min(self._days_back(1, 730), horizon)
                    length = 14 + int(rng.random() * 350)
                    kind = "personal_care" if rng.random() < 0.3 else "practical_help"
                    self.emit(cpr, kind, max(end - length, earliest), end, "midlertidig hjælp")
            elif name == "dementia":
                if rng.random() < 0.15:
                    self.emit(
                        cpr,
                        "dementia",
                        min(self._days_back(7, 180), horizon),
                        in_force_end,
                        "under udredning",
                    )
                else:
                    self.emit(cpr, "dementia", since(700.0, 30), in_force_end, "diagnosticeret")
            elif name == "rehabilitation":
                ended_course("rehabilitation", 28, 84)
            elif name == "chronic_rehab":
                ended_course("chronic_rehab", 56, 84)
            elif name == "retraining":
                ended_course("retraining", 14, 84)
            elif name == "lifestyle_course":
                ended_course("lifestyle_course", 56, 84)
            elif name in ("rehabilitation_ongoing", "retraining_ongoing"):
                ongoing_course(name.removesuffix("_ongoing"))
            elif name == "home_nursing":
                self.emit(cpr, "home_nursing", since(200.0), in_force_end)
            elif name == "home_nursing_ended":
                if "home_nursing" not in done:
                    end = min(self._days_back(1, 365), horizon)
                    self.emit(cpr, "home_nursing", end - 7 - int(rng.random() * 105), end)
            elif name == "hospital_admission":
                count = rng.choices((1, 2, 3, 4), weights=f.ADMISSION_COUNT_WEIGHTS)[0]
                for start in sorted(self._days_back(15, 365) for _ in range(count)):
                    if start <= horizon:
                        self.emit(
                            cpr, "hospital_admission", start, min(start + int(rng.random() * 14), horizon)
                        )
            elif name == "serious_illness":
                note = _SERIOUS_ILLNESS_NOTES[int(rng.random() * len(_SERIOUS_ILLNESS_NOTES))]
                self.emit(cpr, "serious_illness", min(self._days_back(14, 730), horizon), None, note)
            elif name == "isolation":
                note = _ISOLATION_NOTES[int(rng.random() * len(_ISOLATION_NOTES))]
                self.emit(cpr, "isolation", min(self._days_back(14, 730), horizon), None, note)
            elif name == "sensory_loss":
                note = _SENSORY_NOTES[int(rng.random() * len(_SENSORY_NOTES))]
                self.emit(cpr, "sensory_loss", since(1500.0, 30), None, note)
            elif name == "declined_all":
                self.emit(cpr, "declined_all", min(self._days_back(30, 1095), horizon), None)
            elif name == "interpreter":
                if refugee_since is not None:
                    self.emit(cpr, "interpreter", refugee_since, None, rng.choice(("ukrainsk", "arabisk")))
                else:
                    note = _INTERPRETER_NOTES[int(rng.random() * len(_INTERPRETER_NOTES))]
                    self.emit(cpr, "interpreter", since(2000.0, 30), None, note)
            done.add(name)
        return "dementia" in done
