"""Which years a forecast may cover: the rule the command and the page both check."""

from __future__ import annotations

#: At most this many years in one forecast (each year is one evaluation of the whole population).
MAX_YEARS = 10
#: The last year may lie at most this many years after the population's extract: further out, a population
#: that only dies (no one moves in or turns 65 into the extract) says little.
MAX_AHEAD = 15


def years_problem(first: int, last: int, extract_year: int) -> str | None:
    """Why the years ``first``..``last`` cannot be forecast from an extract of ``extract_year`` (Danish,
    one sentence), or None when they can."""
    if last < first:
        return f"slutåret {last} ligger før startåret {first}"
    if first < extract_year:
        return f"{first} ligger før befolkningsudtrækkets år ({extract_year}); prognosen kan kun se fremad"
    if last - first + 1 > MAX_YEARS:
        return f"højst {MAX_YEARS} år ad gangen ({first}–{last} er {last - first + 1} år)"
    if last > extract_year + MAX_AHEAD:
        return (
            f"{last} ligger mere end {MAX_AHEAD} år efter befolkningsudtrækket ({extract_year}); så langt "
            "frem siger en befolkning uden tilflytning og nye 65-årige for lidt"
        )
    return None


def parse_years(text: str) -> tuple[int, int]:
    """``2028-2030`` (or ``2028–2030``, or one year ``2028``) as (first, last). Raises ValueError with a
    Danish message that shows the expected form."""
    cleaned = text.strip().replace("–", "-").replace("—", "-")
    parts = [part.strip() for part in cleaned.split("-")]
    if len(parts) > 2 or not all(part.isdigit() and len(part) == 4 for part in parts):
        raise ValueError(f"{text!r} er ikke et år eller et spænd af år (skriv fx 2028 eller 2028-2030)")
    first = int(parts[0])
    return first, int(parts[-1])
