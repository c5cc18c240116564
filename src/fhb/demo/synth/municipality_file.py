"""A synthetic municipality described by a file: the figures and towns of a municipality fhb has none for.

``fhb synth`` and ``fhb demo-setup`` read ``municipality.toml`` beside the standard file, or the file given
by ``--municipality``; without either they use the shipped figures of Hjørring, Herning and Ishøj
(:func:`fhb.demo.synth.figures.municipality_for`). The format (docs/synthetic-data.md)::

    code = 492                  # the standard's municipality.code
    name = "Ærø"
    inhabitants = 6000
    aged_65_plus = 2000         # or aged_65_79 and aged_80_plus
    rural_share = 0.3
    refugee_rate = 0.0003
    outline = "outline.geojson" # optional, relative to this file
    [towns]                     # postcode = relative weight of the town-dwelling population
    5960 = 3.0

Every problem is reported with the file, the key and why (:class:`MunicipalityFileError`, a ValueError).
No Django.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fhb.core.geography import Area, Centre, Outline, outline_from_geojson, postcode_centres
from fhb.core.key_problems import FileProblems, KeyProblem, shown_value
from fhb.demo.synth.figures import Municipality, municipality_for

#: The file read from the standard file's folder when no ``--municipality`` is given.
MUNICIPALITY_FILE = "municipality.toml"


#: One thing wrong with a municipality file: the key (empty for the whole file) and why.
Problem = KeyProblem


class MunicipalityFileError(FileProblems, ValueError):
    """A municipality file that cannot be used; ``path`` names it, ``problems`` say what is wrong."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        super().__init__(str(path), problems)


Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Field(gt=0)]


class MunicipalityFigures(BaseModel):
    """The keys of a municipality file, their types and ranges (cross-checks: :func:`read_municipality`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    code: int = Field(ge=101, le=999)
    name: str = Field(min_length=1, max_length=60)
    inhabitants: Count
    aged_65_plus: Count | None = None
    aged_65_79: Count | None = None
    aged_80_plus: Count | None = None
    rural_share: float = Field(ge=0, lt=1)
    refugee_rate: float = Field(ge=0, le=0.1)
    outline: str | None = Field(default=None, min_length=1)
    towns: dict[str, Weight] = Field(min_length=1)


_MESSAGES = {
    "missing": "missing key",
    "extra_forbidden": "unknown key (not part of the format; a typo?)",
}


def read_municipality(path: Path, *, code: int | None = None) -> Municipality:
    """The municipality described by the file at ``path``; ``code``, when given, is the standard's
    ``municipality.code``, which the file's must equal. :class:`MunicipalityFileError` otherwise."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        raise MunicipalityFileError(path, [Problem("", f"cannot read the file: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise MunicipalityFileError(path, [Problem("", f"not UTF-8 text (byte {exc.start})")]) from exc
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError, OverflowError) as exc:
        raise MunicipalityFileError(path, [Problem("", f"not valid TOML: {exc}")]) from exc
    try:
        figures = MunicipalityFigures.model_validate(raw)
    except ValidationError as exc:
        raise MunicipalityFileError(path, pydantic_problems(exc)) from exc
    problems = figure_problems(figures, code)
    centres = town_centres(figures.towns, problems)
    outline = read_outline(path.parent, figures.outline, problems)
    if outline is not None:
        problems += [
            Problem(f"towns.{c.postcode}", f"the centre of {c.postcode} {c.city} lies outside the outline")
            for c in centres
            if not outline.contains(c.lon, c.lat)
        ]
    if problems:
        raise MunicipalityFileError(path, problems)
    aged_65_plus = figures.aged_65_plus or (figures.aged_65_79 or 0) + (figures.aged_80_plus or 0)
    return Municipality(
        key=f"{figures.code:04d}",
        code=f"{figures.code:04d}",
        name=figures.name,
        inhabitants=figures.inhabitants,
        aged_65_plus=aged_65_plus,
        aged_65_79=figures.aged_65_79,
        aged_80_plus=figures.aged_80_plus,
        town_weights={c.postcode: figures.towns[c.postcode] for c in centres},
        rural_share=figures.rural_share,
        refugee_rate=figures.refugee_rate,
        area=Area(centres, outline),
    )


def pydantic_problems(exc: ValidationError) -> list[Problem]:
    """The validation errors as problems keyed by the file's keys (``towns.5960``)."""
    problems = []
    for error in exc.errors(include_url=False):
        key = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function-"))
        why = _MESSAGES.get(error["type"], error["msg"])
        if error["type"] not in _MESSAGES and "input" in error:
            why += f" (found {shown_value(error['input'])})"
        problems.append(Problem(key, why))
    return problems


def figure_problems(figures: MunicipalityFigures, code: int | None) -> list[Problem]:
    """What is wrong between the keys: the code against the standard's, and the age groups."""
    problems = []
    if code is not None and figures.code != code:
        problems.append(Problem("code", f"{figures.code} is not the standard's municipality.code ({code})"))
    split = (figures.aged_65_79, figures.aged_80_plus)
    if figures.aged_65_plus is not None and split != (None, None):
        problems.append(Problem("aged_65_plus", "give aged_65_plus or aged_65_79 and aged_80_plus, not both"))
    elif figures.aged_65_plus is None and None in split:
        missing = "aged_65_79" if figures.aged_65_79 is None else "aged_80_plus"
        key = "aged_65_plus" if split == (None, None) else missing
        problems.append(Problem(key, "missing key (give aged_65_plus, or aged_65_79 and aged_80_plus)"))
    aged = figures.aged_65_plus or sum(n for n in split if n is not None)
    if aged >= figures.inhabitants:
        problems.append(Problem("inhabitants", f"{figures.inhabitants} is not more than the {aged} aged 65+"))
    return problems


def town_centres(towns: dict[str, float], problems: list[Problem]) -> tuple[Centre, ...]:
    """The postcode centroids of the ``[towns]``, by postcode; a postcode that is none is a problem."""
    known = {c.postcode: c for c in postcode_centres()}
    found = []
    for postcode in sorted(towns):
        if not (len(postcode) == 4 and postcode.isascii() and postcode.isdigit()):
            problems.append(Problem(f"towns.{postcode}", "a postcode has four digits"))
        elif postcode not in known:
            problems.append(Problem(f"towns.{postcode}", "no such postcode in the postcode centroids"))
        else:
            found.append(known[postcode])
    return tuple(found)


def read_outline(folder: Path, name: str | None, problems: list[Problem]) -> Outline | None:
    """The outline file (relative to the municipality file's folder), or None when none is given."""
    if name is None:
        return None
    path = folder / name
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        problems.append(Problem("outline", f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}"))
        return None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        problems.append(Problem("outline", f"{path} is not JSON: {exc}"))
        return None
    try:
        outline = outline_from_geojson(document)
    except ValueError as exc:
        problems.append(Problem("outline", f"{path}: {exc}"))
        return None
    if not all(math.isfinite(v) for ring in outline.rings for point in ring for v in point):
        problems.append(Problem("outline", f"{path}: a coordinate is not a finite number"))
        return None
    return outline


def file_beside(standard: str) -> Path | None:
    """``municipality.toml`` in the folder of the standard file ``standard``, when there is one (a shipped
    standard's name has none)."""
    if not ("/" in standard or "\\" in standard or standard.endswith(".toml")):
        return None
    path = Path(standard).parent / MUNICIPALITY_FILE
    return path if path.is_file() else None


def municipality_for_standard(standard: str, code: int, given: Path | None = None) -> Municipality:
    """The municipality a standard's synthetic population imitates: the file ``given`` (``--municipality``),
    else ``municipality.toml`` beside the standard file, else the shipped figures of ``code``. ValueError
    (:class:`MunicipalityFileError` for a file) saying what is wrong and how to give the figures."""
    path = given if given is not None else file_beside(standard)
    if path is not None:
        return read_municipality(path, code=code)
    return municipality_for(code)
