"""Danish-looking made-up names of people and streets.

The lists hold common Danish first names (by the generation that typically carried them), common surnames
and common street-name parts. A common name alone identifies nobody; the generator combines first name,
an optional second name or middle name and a surname at random, so the people are made up.
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# First names by generation: born before 1950, 1950-1969, 1970-1999, 2000 or later.
MALE_NAMES: tuple[tuple[str, ...], ...] = (
    _words(
        "Aage Arne Bent Børge Carl Egon Ejnar Erik Erling Frede Gunnar Hans Helge Henning Holger Jens Jørgen"
        " Kaj Karl Knud Kurt Leif Mogens Niels Ole Poul Preben Svend Søren Tage Verner Villy Viggo"
    ),
    _words(
        "Bjarne Benny Finn Flemming Hans Henrik Jan Jens Jørgen John Kim Lars Niels Ole Peter Per Poul Steen"
        " Søren Torben Erik Bo Claus Carsten Michael Jesper Ib Keld Allan Frank"
    ),
    _words(
        "Anders Brian Christian Jacob Jesper Kasper Martin Mads Michael Morten Nikolaj Rasmus Thomas Simon"
        " Jonas Mikkel Søren Kristian Dennis René"
    ),
    _words("Emil Frederik Lucas Magnus Mathias Noah Oliver Oscar Victor William Alexander Malthe Gustav"),
)
FEMALE_NAMES: tuple[tuple[str, ...], ...] = (
    _words(
        "Agnes Alice Anna Astrid Birgit Bodil Dagmar Edith Ellen Else Elly Erna Ester Gerda Grethe Gudrun"
        " Inga Inge Inger Ingrid Jenny Karen Kirsten Lilly Margrethe Marie Ruth Solveig Tove Aase Ella Henny"
    ),
    _words(
        "Anne Annette Bente Birthe Britta Connie Dorthe Gitte Hanne Helle Jette Jytte Karin Kirsten Lene Lis"
        " Lise Lone Marianne Mette Pia Susanne Ulla Vibeke Winnie Annelise Inge Tina Merete Birgitte"
    ),
    _words(
        "Camilla Christina Heidi Julie Katrine Line Louise Maria Mette Sara Stine Signe Maja Anne Charlotte"
        " Trine Rikke Sofie Nanna Cecilie"
    ),
    _words("Emma Ida Freja Clara Alma Anna Ella Josefine Laura Sofia Mathilde Karla Agnes Olivia Liva"),
)
#: Common Danish surnames, the most common listed twice to weigh them (the "-sen" names dominate).
SURNAMES: tuple[str, ...] = _words(
    "Jensen Jensen Nielsen Nielsen Hansen Hansen Pedersen Pedersen Andersen Andersen Christensen Larsen"
    " Sørensen Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen"
    " Møller Mortensen Knudsen Jakobsen Mikkelsen Olesen Frederiksen Laursen Henriksen Lund Schmidt Eriksen"
    " Holm Kristiansen Clausen Simonsen Svendsen Andreasen Iversen Jeppesen Mogensen Jacobsen Vestergaard"
    " Nissen Lauridsen Kjær Jespersen Søndergaard Bech Mathiasen Dam Østergaard Kjeldsen Thygesen Bak"
    " Nørgaard"
)
#: Middle names (mellemnavne), often a place or nature name.
MIDDLE_NAMES: tuple[str, ...] = _words(
    "Møller Holm Skov Lund Bach Dahl Krogh Juul Kjær Friis Brandt Lykke Vestergaard Damgaard Bjerre Toft"
    " Bundgaard Hedegaard Kirk Winther Berg"
)
#: Names of refugees 65+ with a recent residence permit: Ukrainian and Syrian names (assumption).
REFUGEE_MALE: tuple[str, ...] = _words("Mykola Volodymyr Oleksandr Viktor Serhii Ahmad Khaled Mahmoud")
REFUGEE_FEMALE: tuple[str, ...] = _words("Olena Natalia Halyna Valentyna Liudmyla Fatima Maryam Aisha")
REFUGEE_SURNAMES: tuple[str, ...] = _words(
    "Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Al-Hassan Haddad Khalil Nasser"
)

STREET_FIRST: tuple[str, ...] = _words(
    "Birke Bøge Ege Ahorn Aske Elme Lærke Vibe Solsorte Drossel Kastanje Hyld Rose Syrén Kløver Skov Mark"
    " Eng Mølle Kirke Skole Havre Rug Hvede Byg Lyng Klit Strand Sø Bakke Høj Dal Nørre Sønder Øster Vester"
    " Fasan Glente Spurve Svane Stære Tjørne Hassel Pile Gran Fyrre Lind Anemone Violet Tulipan Smede Præste"
    " Gartner Vinkel"
)
STREET_LAST: tuple[str, ...] = _words(
    "vej vej vej vænget gade stien parken haven bakken toften lunden høj allé gården engen marken holm kær"
    " dal krogen vang"
)
RURAL_FIRST: tuple[str, ...] = _words(
    "Nørremarks Søndermarks Østermarks Vestermarks Hede Mose Kær Lyng Brænde Grønning Tved Rønne Holme"
    " Dyrholm Skovgårds Bjerg Vad Tofte Kirkebakke"
)
RURAL_LAST: tuple[str, ...] = _words("vej vej gårdsvej markvej landevej bakken")
FLOORS: tuple[str, ...] = ("st.", "1.", "1.", "2.", "2.", "3.")
DOORS: tuple[str, ...] = ("tv.", "th.", "mf.")


def generation_of(birth_year: int) -> int:
    """Index of the first-name generation of a person born in ``birth_year``."""
    if birth_year < 1950:
        return 0
    if birth_year < 1970:
        return 1
    if birth_year < 2000:
        return 2
    return 3


def person_name(rng: random.Random, male: bool, birth_year: int, surname: str, refugee: bool = False) -> str:
    """A made-up full name for a person of this sex and birth year with the given surname."""
    if refugee:
        first = rng.choice(REFUGEE_MALE if male else REFUGEE_FEMALE)
        return f"{first} {surname}"
    names = (MALE_NAMES if male else FEMALE_NAMES)[generation_of(birth_year)]
    first = names[int(rng.random() * len(names))]
    parts = [first]
    r = rng.random()
    if r < 0.25:
        second = names[int(rng.random() * len(names))]
        if second != first:
            parts.append(second)
    elif r < 0.45:
        parts.append(MIDDLE_NAMES[int(rng.random() * len(MIDDLE_NAMES))])
    parts.append(surname)
    return " ".join(parts)


def surname(rng: random.Random, refugee: bool = False) -> str:
    """A common surname (or a refugee's surname)."""
    pool = REFUGEE_SURNAMES if refugee else SURNAMES
    return pool[int(rng.random() * len(pool))]


def street_names(rng: random.Random, count: int, rural: bool) -> tuple[str, ...]:
    """``count`` distinct made-up street names (fewer if the parts run out), in a seeded order."""
    first, last = (RURAL_FIRST, RURAL_LAST) if rural else (STREET_FIRST, STREET_LAST)
    every = sorted({f + s for f in first for s in last if not s.startswith(f.lower())})
    rng.shuffle(every)
    return tuple(every[:count])


def unit_suffix(rng: random.Random) -> str:
    """A Danish floor and door designation for a flat, e.g. ``", 2. tv."``."""
    return f", {FLOORS[int(rng.random() * len(FLOORS))]} {DOORS[int(rng.random() * len(DOORS))]}"
