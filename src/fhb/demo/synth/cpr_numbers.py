"""Made-up CPR numbers that follow the CPR rules, unique within one synthetic extract.

A number is DDMMYY-SSSS. The first serial digit together with YY gives the century (the rules
python-stdnum's ``stdnum.dk.cpr.get_birth_date`` implements); the last digit is odd for men, even for
women. Until 2007 every number satisfied the modulus-11 check (weights 4,3,2,7,6,5,4,3,2,1); numbers issued
since may not. The allocator issues both kinds on request, so consumers that wrongly insist on modulus 11
are caught by the synthetic data.
"""

from __future__ import annotations

import random
from datetime import date
from functools import cache

WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def century_digits(birth_year: int) -> tuple[int, ...]:
    """The first serial digits that give ``birth_year``'s century under the CPR rules."""
    yy = birth_year % 100
    if 1858 <= birth_year <= 1899:
        return (5, 6, 7, 8)
    if 1900 <= birth_year <= 1999:
        return (0, 1, 2, 3, 4, 9) if yy >= 37 else (0, 1, 2, 3)
    if 2000 <= birth_year <= 2036:
        return (4, 9, 5, 6, 7, 8)
    if 2037 <= birth_year <= 2057:
        return (5, 6, 7, 8)
    raise ValueError(f"a CPR number cannot hold the birth year {birth_year}")


def satisfies_modulus_11(cpr: str) -> bool:
    """True when the 10 digits pass the pre-2007 modulus-11 check."""
    return sum(w * int(d) for w, d in zip(WEIGHTS, cpr, strict=True)) % 11 == 0


@cache
def _candidates(remainder: int, centuries: tuple[int, ...], parity: int, modulus_11: bool) -> tuple[int, ...]:
    """Serials (SSSS as an int) that fit a date whose weighted digit sum is ``remainder`` mod 11."""
    found = []
    for s1 in centuries:
        for s2 in range(10):
            for s3 in range(10):
                for s4 in range(parity, 10, 2):
                    total = remainder + 4 * s1 + 3 * s2 + 2 * s3 + s4
                    if (total % 11 == 0) == modulus_11:
                        found.append(s1 * 1000 + s2 * 100 + s3 * 10 + s4)
    return tuple(found)


class CprAllocator:
    """Issues unique CPR numbers; memory is one 1,250-byte bitmap per birth date in use."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._dates: dict[int, tuple[str, int, tuple[int, ...], bytearray]] = {}
        self.issued = 0

    def new(self, birth_ordinal: int, male: bool, modulus_11: bool) -> str:
        """A fresh number for a person born on the day ``birth_ordinal`` (``date.toordinal()``);
        ``modulus_11`` says whether it passes the check."""
        known = self._dates.get(birth_ordinal)
        if known is None:
            birth = date.fromordinal(birth_ordinal)
            prefix = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
            remainder = sum(w * int(d) for w, d in zip(WEIGHTS, prefix, strict=False)) % 11
            known = self._dates[birth_ordinal] = (
                prefix,
                remainder,
                century_digits(birth.year),
                bytearray(1250),
            )
        prefix, remainder, centuries, used = known
        candidates = _candidates(remainder, centuries, 1 if male else 0, modulus_11)
        random_ = self._rng.random
        n = len(candidates)
        for _ in range(10 * n):
            serial = candidates[int(random_() * n)]
            byte, bit = serial >> 3, 1 << (serial & 7)
            if not used[byte] & bit:
                used[byte] |= bit
                self.issued += 1
                return f"{prefix}{serial:04d}"
        taken = date.fromordinal(birth_ordinal).isoformat()
        raise RuntimeError(f"no free CPR number left for {taken} (is --size too large?)")
