"""Right of access (indsigt): the export holds everything about the citizen, and making it is logged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fhb.citizens.models import Citizen
from fhb.cli import main as fhb_main
from fhb.journal.models import JournalRead
from fhb.privacy.access_export import READ_PAGE, citizen_export
from tests.conftest import PASSWORD
from tests.privacy.world import CPR, NAME, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def aksel(make_user: Any) -> Citizen:
    build_world(make_user("consultant", "konsulent"))
    return Citizen.objects.get(cpr=CPR)


def test_the_export_holds_every_part_of_the_case(aksel: Citizen) -> None:
    export = citizen_export(aksel)
    json.dumps(export)  # plain JSON data, no encoder needed

    assert export["citizen"]["cpr"] == CPR and export["citizen"]["name"] == NAME
    assert export["citizen"]["dwelling"]["street"] == "Kløvervej 1"
    assert export["citizen_history"], "the master data's history (the import that created it)"
    assert [f["note"] for f in export["care_facts"]] == [f"{NAME}: rengøring"]
    offer = next(o for o in export["offers"] if o["decision"] == "offer")
    assert offer["reason"] and offer["decision_display"] == "Tilbud", "offers with reasons, in Danish too"
    assert [a["note"] for a in export["answers"]] == [f"{NAME} ringede"]
    assert [r["contact_name"] for r in export["requests"]] == ["Eva Datter"]
    assert [f["note"] for f in export["follow_ups"]] == [f"Ring til {NAME}"]
    letter = export["letters"][0]
    assert letter["kind"] == "offer_without_time" and letter["uuid"] and letter["title"]
    assert "pdf" not in letter and "content" not in letter, "letters as metadata, not their bytes"
    visit = export["visits"][0]
    assert visit["status"] == "held" and visit["consultant"] == "konsulent"
    assert visit["status_reason"] == f"{NAME} var glad for besøget"
    assert [n["text"] for n in export["journal_notes"]] == [f"{NAME} har faldet to gange i år."]
    assert export["journal_notes"][0]["written_by"] == "konsulent"
    assert [c["kind"] for c in export["consents"]] == ["documentation"]
    assert export["home_notes"]["pets"] == "Hund (Fido)"
    assert [(r["page"], r["user"]) for r in export["journal_reads"]] == [("citizen", "konsulent")]


def test_the_leader_downloads_the_export_and_the_read_is_logged(aksel: Citizen, make_user: Any) -> None:
    make_user("leader", "leder")
    client = Client()
    client.login(username="leder", password=PASSWORD)

    response = client.get(reverse("citizen-export", args=[CPR]))
    assert response.status_code == 200
    filename = f"indsigt-{CPR}-{timezone.localdate().isoformat()}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    export = json.loads(response.content)
    assert len(export["journal_notes"]) == 1

    read = JournalRead.objects.get(citizen=aksel, page=READ_PAGE)
    assert read.user is not None and read.user.username == "leder"
    assert read.notes == 1, "the number of journal notes the export showed"
    assert ("indsigt", "leder") in [(r["page"], r["user"]) for r in export["journal_reads"]], (
        "the export lists its own making among the reads"
    )


@pytest.mark.parametrize("role", ["consultant", "dementia_coordinator"])
def test_others_than_leader_and_admin_are_refused(aksel: Citizen, make_user: Any, role: str) -> None:
    make_user(role, "bruger")
    client = Client()
    client.login(username="bruger", password=PASSWORD)
    assert client.get(reverse("citizen-export", args=[CPR])).status_code == 403
    assert not JournalRead.objects.filter(page=READ_PAGE).exists(), "a refused export reads nothing"


def test_the_command_writes_the_export_and_logs_it(aksel: Citizen, tmp_path: Path) -> None:
    out = tmp_path / "indsigt.json"
    assert fhb_main(["export-citizen", f"{CPR[:6]}-{CPR[6:]}", "--out", str(out)]) == 0
    export = json.loads(out.read_text(encoding="utf-8"))
    assert export["citizen"]["name"] == NAME
    read = JournalRead.objects.get(citizen=aksel, page=READ_PAGE)
    assert read.user is None, "from the command line: no user"
    assert fhb_main(["export-citizen", "0101010000"]) == 1, "no such citizen"
