"""CPR numbers: normalising, birth date, sex and presentation.

The century of the birth date follows the CPR rules as implemented by python-stdnum (``stdnum.dk.cpr``):
the 7th digit together with the two-digit year decides 1800s, 1900s or 2000s. There is deliberately
no modulus-11 check (numbers issued since 2007 may fail it) and no comparison with today's date: the
core is clock-free, so a number whose birth date lies in the future is accepted as it is.

Danish messages are raised as ``ValueError`` so callers can show them to users unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from stdnum.dk import cpr as _stdnum_cpr

__all__ = ["birth_date_of", "format_cpr", "normalise_cpr", "sex_of"]

#: Birth dates by the first 7 digits (date + century digit); None when those digits give no valid date.
_BIRTH_DATES: dict[str, date | None] = {}
#: A safety valve: the cache cannot hold more than this many keys (real data needs ~400,000 at most).
_CACHE_LIMIT = 2_000_000


def normalise_cpr(text: str) -> str:
    """Return the CPR number as 10 digits without hyphen.

    Accepts 10 digits with or without a hyphen after the 6th digit; spaces anywhere are ignored.
    Raises ValueError with a Danish message otherwise. The date part is not checked here (see
    :func:`birth_date_of`).
    """
    if len(text) == 10 and text.isascii() and text.isdigit():
        return text
    compact = text.replace(" ", "").strip()
    if len(compact) == 11 and compact[6] == "-":
        compact = compact[:6] + compact[7:]
    if len(compact) == 10 and compact.isascii() and compact.isdigit():
        return compact
    if not compact:
        raise ValueError("CPR-nummeret mangler")
    digits = compact.replace("-", "")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(
            "CPR-nummeret må kun indeholde cifre (og eventuelt en bindestreg efter de første 6 cifre)"
        )
    if len(digits) == 10:
        raise ValueError("Bindestregen i et CPR-nummer skal stå efter de første 6 cifre (DDMMÅÅ-SSSS)")
    raise ValueError(f"CPR-nummeret skal have 10 cifre, men har {len(digits)}")


#: The birth year by the 5th-7th digits (two-digit year + century digit), from stdnum's century rules.
_YEARS: dict[str, int] = {}


def _birth_year(cpr: str) -> int:
    key = cpr[4:7]
    year = _YEARS.get(key)
    if year is None:
        # 1 January always exists, so stdnum gives the century for any two-digit year and 7th digit.
        year = _YEARS[key] = _stdnum_cpr.get_birth_date("0101" + key + "000").year
    return year


def _compute_birth_date(cpr: str) -> date | None:
    try:
        return date(_birth_year(cpr), int(cpr[2:4]), int(cpr[0:2]))
    except ValueError:
        return None


def birth_date_of(cpr: str) -> date:
    """The birth date of a CPR number (with the century from the CPR rules).

    Pass a number from :func:`normalise_cpr`: the fast path looks only at the first 7 characters, which
    are all the birth date depends on (memoised). Other input is normalised first. Raises ValueError with
    a Danish message when the number is malformed or its first 6 digits are no real date (300290-1234).
    """
    key = cpr[:7]
    try:
        found = _BIRTH_DATES[key]
    except KeyError:
        cpr = normalise_cpr(cpr)
        key = cpr[:7]
        if key in _BIRTH_DATES:
            found = _BIRTH_DATES[key]
        else:
            if len(_BIRTH_DATES) >= _CACHE_LIMIT:
                _BIRTH_DATES.clear()
            found = _BIRTH_DATES[key] = _compute_birth_date(cpr)
    if found is None:
        raise ValueError(_impossible_date_reason(normalise_cpr(cpr)))
    return found


def _impossible_date_reason(cpr: str) -> str:
    return (
        "CPR-nummerets første 6 cifre er ikke en gyldig fødselsdato: "
        f"{cpr[0:2]}.{cpr[2:4]}.{_birth_year(cpr)} findes ikke"
    )


def sex_of(cpr: str) -> Literal["M", "F"]:
    """``"M"`` when the last digit is odd, ``"F"`` when it is even."""
    last = cpr[-1:]
    if last in ("1", "3", "5", "7", "9"):
        return "M"
    if last in ("0", "2", "4", "6", "8"):
        return "F"
    raise ValueError("CPR-nummeret skal slutte med et ciffer")


def format_cpr(cpr: str) -> str:
    """The presentation form ``DDMMÅÅ-SSSS``."""
    digits = normalise_cpr(cpr)
    return f"{digits[:6]}-{digits[6:]}"
