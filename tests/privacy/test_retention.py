"""Retention: anonymising citizens who are dead or gone keeps the statistics and leaves no name or CPR."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.db import connection

from fhb.citizens.actions import keep_waiting
from fhb.citizens.models import CareEvent, Citizen
from fhb.cli import main as fhb_main
from fhb.core.cpr import birth_date_of, format_cpr
from fhb.journal.models import Consent, JournalNote, JournalRead
from fhb.letters.actions import send_run_letters
from fhb.letters.models import Letter
from fhb.letters.outbox import render_pending
from fhb.offers.actions import close_for_missing_citizen
from fhb.offers.models import Offer
from fhb.privacy.retention import ANONYMOUS_NAME, anonymous_cpr, retention
from fhb.standards.current import current_standard
from fhb.visits.models import HomeNotes, Visit
from tests.letters.world import PEOPLE
from tests.privacy.world import CPR, HUSBAND85, NAME, WIFE80, build_world, gone, load

pytestmark = pytest.mark.django_db

#: Aksel's last event is his visit on 9 March 2027, or the import that found him gone (today, when the
#: tests run later than that): due more than five years after, not yet before.
DUE_ON = date(max(date.today().year, 2027) + 6, 6, 1)
NOT_YET = date(2031, 1, 1)


@pytest.fixture
def world(make_user: Any) -> None:
    build_world(make_user("consultant", "konsulent"))


def all_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (for "nothing changed")."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in cursor]
    return rows


def traces(*texts: str) -> list[str]:
    """Every table and column whose value contains one of ``texts`` (also JSON-escaped, also in bytes)."""
    needles = {t for text in texts for t in (text, json.dumps(text)[1:-1])}
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        hit = any(n.encode() in bytes(value) for n in needles)
                    else:
                        hit = any(n in str(value) for n in needles)
                    if hit:
                        found.append(f"{table}.{column}")
    return sorted(set(found))


def statistics() -> dict[str, Counter[tuple[Any, ...]]]:
    return {
        "offers": Counter(Offer.objects.values_list("year", "group", "decision", "status", "reply")),
        "visits": Counter((v.start.year, v.status) for v in Visit.objects.all()),
        "letters": Counter(Letter.objects.values_list("kind", "channel", "status")),
        "citizens": Counter(Citizen.objects.values_list("sex", "birth_date__year", "dwelling__postcode")),
    }


def test_the_placeholder_is_ten_digits_but_never_a_cpr_number() -> None:
    for pk in (1, 42, 99_999_999):
        placeholder = anonymous_cpr(pk)
        assert len(placeholder) == 10 and placeholder.isdigit(), "the model's check constraint holds"
        with pytest.raises(ValueError):
            birth_date_of(placeholder)  # day 00: no date, so no CPR number


def test_a_dry_run_changes_nothing(world: None) -> None:
    gone(CPR)
    before = all_rows()
    result = retention(DUE_ON, 5)
    assert [d.pk for d in result.due] == [Citizen.objects.get(cpr=CPR).pk]
    assert result.erased["journal_notes"] == 1 and not result.applied
    assert all_rows() == before, "a dry run writes nothing"


def test_not_due_before_the_retention_period_ends(world: None) -> None:
    gone(CPR)
    assert retention(NOT_YET, 5, apply=True).due == [], "the visit of 2027 is less than 5 years before"
    assert Citizen.objects.get(cpr=CPR).name == NAME


def test_a_citizen_in_the_extract_is_never_touched(world: None) -> None:
    dead = [dict(p, death_date="2027-06-01") if p["cpr"] == CPR else p for p in PEOPLE]
    load(dead)  # dead, but still in the extract
    before = all_rows()
    result = retention(date(2090, 1, 1), 5, apply=True)
    assert result.due == [], "nobody is due while the extract lists them"
    assert all_rows() == before


def test_anonymising_keeps_the_statistics(world: None, make_user: Any) -> None:
    gone(CPR)
    # Leaving the extract cancels nothing; the leader closes his open work (his unsent letter) first.
    close_for_missing_citizen(Citizen.objects.get(cpr=CPR), user=make_user("leader"))
    before = statistics()
    result = retention(DUE_ON, 5, apply=True)
    assert result.applied and len(result.due) == 1
    after = statistics()
    assert after["offers"] == before["offers"], "offers by year, group, decision, status and reply"
    assert after["visits"] == before["visits"], "visits by year and status"
    assert after["letters"] == before["letters"], "letters by kind, channel and status"
    assert after["citizens"] == before["citizens"], "citizens by sex, year of birth and postcode"


def test_no_name_or_cpr_of_the_citizen_is_left_anywhere(world: None, make_user: Any) -> None:
    gone(CPR)
    aksel = Citizen.objects.get(cpr=CPR)
    keep_waiting(aksel, user=make_user("leader"), today=date(2027, 4, 1), note=f"{NAME} er indlagt")
    assert traces(CPR, format_cpr(CPR), NAME), "the search finds him before"

    retention(DUE_ON, 5, apply=True)

    assert traces(CPR, format_cpr(CPR), NAME) == [], "no table holds his CPR number or name"
    aksel.refresh_from_db()
    assert aksel.anonymised and aksel.anonymised_on == DUE_ON
    assert (aksel.name, aksel.cpr) == (ANONYMOUS_NAME, anonymous_cpr(aksel.pk))
    assert aksel.birth_date == date(1957, 1, 1), "the year of birth is kept"
    assert (aksel.dwelling.postcode, aksel.dwelling.street) == ("9800", "Anonymiseret adresse")
    for model in (CareEvent, JournalNote, JournalRead, Consent, HomeNotes):
        assert not model.objects.filter(citizen=aksel).exists(), f"{model.__name__} deleted"
    letter = Letter.objects.get(citizen=aksel)
    assert letter.pdf is None and letter.memo is None and letter.content == {}
    assert letter.sha256, "the proof of what was sent stays"
    visit = Visit.objects.get(offers__citizen=aksel)
    assert visit.status == Visit.Status.HELD and visit.status_reason == "" and visit.interpreter == ""
    assert [h.history_change_reason for h in aksel.history.all()] == [
        "Anonymiseret: opbevaringsperioden er udløbet"
    ], "only the history row that says he was anonymised"


def test_a_spouse_keeps_her_case_without_his_name_or_cpr(world: None) -> None:
    wife = Offer.objects.get(citizen__cpr=WIFE80["cpr"], group="age80")
    husband = Offer.objects.get(citizen__cpr=HUSBAND85["cpr"], group="age82plus")
    Letter.objects.all().delete()
    for o in (wife, husband):
        o.joint_letter, o.letter, o.couple_cpr = True, "without_time", ""
        o.save()
    Offer.objects.filter(pk=wife.pk).update(couple_cpr=HUSBAND85["cpr"])
    send_run_letters(wife.first_run, today=date(2027, 2, 1), standard=current_standard())  # type: ignore[arg-type]
    render_pending()
    Letter.objects.update(status=Letter.Status.DELIVERED)  # sent before he moved away
    her_copy = Letter.objects.get(citizen__cpr=WIFE80["cpr"])
    gone(HUSBAND85["cpr"])
    husband_names = (HUSBAND85["cpr"], format_cpr(HUSBAND85["cpr"]), HUSBAND85["name"])
    assert traces(*husband_names)

    retention(DUE_ON, 5, apply=True)

    assert traces(*husband_names) == [], "no table holds his CPR number or name"
    her = Citizen.objects.get(cpr=WIFE80["cpr"])
    assert her.name == WIFE80["name"] and her.spouse_cpr == "", "her own data stays; the link to him goes"
    her_copy.refresh_from_db()
    assert her_copy.status == Letter.Status.DELIVERED and her_copy.sha256, "her letter is still there"
    assert her_copy.pdf is None, "its stored bytes named him"
    assert WIFE80["name"] in json.dumps(her_copy.content, ensure_ascii=False)

    load(PEOPLE)  # an import after the anonymisation: he comes back as a new citizen, nothing breaks
    assert Citizen.objects.filter(anonymised=True).count() == 1


def test_the_command_is_a_dry_run_unless_told_to_apply(
    world: None, capsys: pytest.CaptureFixture[str]
) -> None:
    gone(CPR)
    assert fhb_main(["retention", "--years", "5", "--on", DUE_ON.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "1 borgere skal anonymiseres" in out and "Prøvekørsel" in out
    assert Citizen.objects.filter(cpr=CPR).exists()

    assert fhb_main(["retention", "--years", "5", "--on", DUE_ON.isoformat(), "--apply"]) == 0
    assert "1 borgere er anonymiseret" in capsys.readouterr().out
    assert not Citizen.objects.filter(cpr=CPR).exists()
    assert fhb_main(["retention", "--on", DUE_ON.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == [], "an anonymised citizen is not due again"
