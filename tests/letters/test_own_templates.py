"""The outbox renders with the municipality's own template folder (FHB_LETTER_TEMPLATES)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.outbox import render_pending
from fhb.standards import current
from fhb.standards.current import current_standard
from tests.core.letters.test_template_folder import OWN_WORDING, own_standard
from tests.letters.test_outbox import TODAY, flat, pdf_text
from tests.letters.world import ALONE70, world

pytestmark = pytest.mark.django_db


def test_the_queued_letter_is_worded_by_the_own_folder(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    own_standard(tmp_path)
    settings.FHB_LETTER_TEMPLATES = str(tmp_path / "letters")
    current._checked_folder.cache_clear()
    run = world()
    send_run_letters(run, today=TODAY, standard=current_standard())
    render_pending(processes=1)
    letter = Letter.objects.get(citizen__cpr=ALONE70["cpr"], kind="offer_without_time")
    assert OWN_WORDING in flat(pdf_text(bytes(letter.pdf)))  # type: ignore[arg-type]
