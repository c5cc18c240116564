"""Letters: the data of a letter (:mod:`.model`) and its rendering to PDF with Typst (:mod:`.render`).

Danish wording helpers live in :mod:`.texts`; Digital Post and print batches are imported by module path.
"""

from fhb.core.letters.model import (
    Appointment,
    Channel,
    Event,
    Letter,
    LetterKind,
    Recipient,
    Response,
    Sender,
    VisitingHours,
)
from fhb.core.letters.render import (
    TEMPLATES,
    LetterRenderer,
    LetterRenderError,
    letter_data,
    letter_json,
    render_pdf,
)

__all__ = [
    "TEMPLATES",
    "Appointment",
    "Channel",
    "Event",
    "Letter",
    "LetterKind",
    "LetterRenderError",
    "LetterRenderer",
    "Recipient",
    "Response",
    "Sender",
    "VisitingHours",
    "letter_data",
    "letter_json",
    "render_pdf",
]
