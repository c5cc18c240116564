"""A municipality's own letter templates: a folder outside the package, checked before it is used.

The folder (the standard's ``[letters] templates``, or the setting ``FHB_LETTER_TEMPLATES``) holds
``<kind>.typ`` files for the kinds the municipality words its own way (:class:`LetterRenderer` looks there
first, then in the shipped ``<standard>/`` and ``default/``). :func:`template_folder_problems` refuses a
folder that would fail later, or silently do nothing:

- a ``.typ`` file at the top of the folder whose name is no letter kind (``offer_withtime.typ``);
- a template Typst cannot compile, said with the file and line (``letters/offer_with_time.typ, linje 12:
  unknown variable: foo``): each template is rendered once to one citizen and once to a couple, with
  made-up data of its kind.

Sub-folders (shared pieces a template imports, images) are not checked by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from fhb.core.letters.model import Appointment, Event, Letter, LetterKind, Recipient, Response, Sender
from fhb.core.letters.render import TEMPLATES, LetterRenderer, LetterRenderError

TEMPLATE_NAMES: tuple[str, ...] = tuple(f"{kind.value}.typ" for kind in LetterKind)
"""The file names a template folder may hold at its top: one per letter kind."""


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """One problem of a template folder: the file (or the folder), the line when known, and why."""

    file: str
    """The file as shown: relative to the folder the caller named (the standard file's), else absolute."""
    line: int | None
    why: str

    def __str__(self) -> str:
        where = f"{self.file}, linje {self.line}" if self.line is not None else self.file
        return f"{where}: {self.why}"


class TemplateFolderError(Exception):
    """A template folder that cannot be used; ``problems`` says what is wrong, file and line."""

    def __init__(self, folder: Path, problems: list[TemplateProblem]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def own_templates(folder: Path) -> list[Path]:
    """The letter templates of ``folder`` (the ``<kind>.typ`` files at its top), sorted by name."""
    return sorted(path for path in folder.iterdir() if path.name in TEMPLATE_NAMES and path.is_file())


def template_folder_problems(
    folder: Path, standard_id: str, *, base: Path | None = None, templates: Path = TEMPLATES
) -> list[TemplateProblem]:
    """What is wrong with the template folder ``folder`` of the standard ``standard_id``; empty if it is
    sound. Paths are shown relative to ``base`` (the standard file's folder) when they lie under it."""

    def shown(path: Path) -> str:
        if base is not None and path.is_relative_to(base.resolve()):
            return path.relative_to(base.resolve()).as_posix()
        return str(path)

    folder = folder.resolve()
    if not folder.is_dir():
        return [TemplateProblem(shown(folder), None, "no such folder")]
    problems: list[TemplateProblem] = []
    names = ", ".join(TEMPLATE_NAMES)
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() == ".typ" and path.name not in TEMPLATE_NAMES:
            why = f"not a letter template name (a typo?); the names are: {names}"
            problems.append(TemplateProblem(shown(path), None, why))
    found = own_templates(folder)
    if not found and not problems:
        problems.append(TemplateProblem(shown(folder), None, f"holds no letter template ({names})"))
    renderer = LetterRenderer(templates, own=folder)
    for path in found:
        kind = LetterKind(path.name.removesuffix(".typ"))
        for joint in (False, True):
            try:
                renderer.render(sample_letter(kind, standard_id, joint=joint))
            except LetterRenderError as error:
                where = error.file or path
                problems.append(TemplateProblem(shown(where), error.line, error.short.strip()))
                break
    return problems


def check_template_folder(folder: Path, standard_id: str, *, base: Path | None = None) -> None:
    """Raise :class:`TemplateFolderError` when :func:`template_folder_problems` finds any."""
    problems = template_folder_problems(folder, standard_id, base=base)
    if problems:
        raise TemplateFolderError(folder, problems)


_SENDER = Sender(
    municipality="Eksempel Kommune",
    municipality_code=999,
    cvr="12345678",
    unit="Forebyggende hjemmebesøg",
    street="Rådhusvej 1",
    postcode="9999",
    city="Eksempelby",
    phone="70 00 00 00",
    phone_hours="mandag-fredag kl. 8.00-9.00",
    email="forebyg@example.dk",
    signature="De forebyggende medarbejdere",
)
_ONE = Recipient(
    cpr="0101470000", name="Åse Ærbødig", street="Søndergade 7", postcode="9999", city="Eksempelby"
)
_TWO = Recipient(
    cpr="0101470001", name="Bjørn Ærbødig", street="Søndergade 7", postcode="9999", city="Eksempelby"
)
_VISIT = Appointment(
    start=dt.datetime(2027, 3, 9, 10, 0), end=dt.datetime(2027, 3, 9, 11, 0), consultant="Mette"
)
_EARLIER = Appointment(start=dt.datetime(2027, 3, 2, 13, 30), end=dt.datetime(2027, 3, 2, 14, 30))
_FAIR = Event(
    name="Seniormesse",
    place="Sundhedscentret, Rådhusvej 1",
    start=dt.datetime(2027, 4, 14, 13, 0),
    end=dt.datetime(2027, 4, 14, 16, 0),
)
_MEETINGS = (
    Event(
        name="Informationsmøde",
        place="Forsamlingshuset, Byvej 2, Nordby",
        start=dt.datetime(2027, 4, 21, 10, 0),
        end=dt.datetime(2027, 4, 21, 12, 0),
    ),
    Event(
        name="Informationsmøde",
        place="Biblioteket, Torvet 5, Sønderby",
        start=dt.datetime(2027, 4, 28, 14, 0),
        end=dt.datetime(2027, 4, 28, 16, 0),
    ),
)


def sample_letter(kind: LetterKind, standard_id: str, *, joint: bool = False) -> Letter:
    """A made-up letter of ``kind`` with every value its kind carries, to try a template with. The joint
    invitation also lists several dates and places and is an arrangement (the offer itself), so a template
    is tried with both shapes of :attr:`Letter.events`."""
    invitation = kind is LetterKind.INVITATION
    with_time = kind in (LetterKind.OFFER_WITH_TIME, LetterKind.NEW_TIME, LetterKind.CLOSED_DOOR)
    opt_in = kind in (LetterKind.OFFER_WITHOUT_TIME, LetterKind.INVITATION, LetterKind.FOLLOW_UP)
    return Letter(
        kind=kind,
        standard=standard_id,
        sender=_SENDER,
        recipients=(_ONE, _TWO) if joint else (_ONE,),
        date=dt.date(2027, 2, 15),
        reference="00000000-0000-0000-0000-000000000000",
        group="age80",
        response=Response.OPT_IN if opt_in else Response.OPT_OUT,
        appointment=_VISIT if with_time else None,
        previous=_EARLIER if kind in (LetterKind.NEW_TIME, LetterKind.CANCELLATION) else None,
        event=_FAIR if invitation else None,
        other_events=_MEETINGS if invitation and joint else (),
        arrangement=invitation and joint,
        duration_min=90 if joint else 60,
        reply_by=dt.date(2027, 3, 5) if with_time else None,
        purpose="at tale om, hvordan du kan bevare et godt helbred",
        reasons=("du fylder 80 år i år", "du har for nylig mistet din ægtefælle"),
        reason="sygdom",
        signed_by="Mette",
    )
