"""fhb backup / fhb restore: a restore gives back exactly what the backup held (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.citizens.models import CareEvent, Citizen
from fhb.cli import main
from fhb.offers.actions import start_run
from fhb.offers.models import Offer
from fhb.standards.current import current_standard
from tests.citizens.builders import BASE, BASE_EVENTS, citizens_csv, events_csv

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> tuple[list[tuple], list[tuple], list[tuple], list[str]]:  # type: ignore[type-arg]
    media = Path(settings.MEDIA_ROOT)
    return (
        sorted(
            Citizen.objects.values_list("cpr", "name", "dwelling__address_id", "death_date", "in_extract")
        ),
        sorted(CareEvent.objects.values_list("citizen__cpr", "kind", "start", "end")),
        sorted(Offer.objects.values_list("citizen__cpr", "group", "decision", "status")),
        sorted(
            p.relative_to(media).as_posix() + ":" + p.read_text() for p in media.rglob("*") if p.is_file()
        ),
    )


@pytest.fixture
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    letters = settings.MEDIA_ROOT / "letters" / "2027"
    letters.mkdir(parents=True)
    (letters / "brev-1.pdf").write_text("%PDF-1.7 brev til Åse")
    return settings.MEDIA_ROOT


def test_restore_brings_back_database_and_files(tmp_path, media, capsys) -> None:  # type: ignore[no-untyped-def]
    import_extract(
        ImportFile("citizens.csv", citizens_csv(BASE)), ImportFile("events.csv", events_csv(BASE_EVENTS))
    )
    start_run(2027, "yearly", on=date(2027, 1, 1), standard=current_standard())
    before = snapshot()
    archive = tmp_path / "backup" / "fhb.tar.gz"
    assert main(["backup", "--out", str(archive)]) == 0
    assert "Backup skrevet" in capsys.readouterr().out

    # Everything changes after the backup: rows deleted and added, a letter removed, another written.
    Citizen.objects.filter(cpr=BASE[0]["cpr"]).delete()
    CareEvent.objects.all().delete()
    (media / "letters" / "2027" / "brev-1.pdf").unlink()
    (media / "ny.pdf").write_text("efter backup")
    assert snapshot() != before

    assert main(["restore", str(archive), "--yes"]) == 0
    assert snapshot() == before, "the restore must give back exactly what the backup held"


def test_restore_needs_confirmation(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["restore", str(tmp_path / "x.tar.gz")]) == 2
    assert "--yes" in capsys.readouterr().err


def test_damaged_backup_is_refused_and_changes_nothing(tmp_path, media, capsys) -> None:  # type: ignore[no-untyped-def]
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    archive = tmp_path / "fhb.tar.gz"
    assert main(["backup", "--out", str(archive)]) == 0
    # Rebuild the archive with a database file that no longer matches its checksum.
    work = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    database = next(p for p in work.iterdir() if p.name.startswith("database"))
    database.write_bytes(database.read_bytes()[:-10] + b"0123456789")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for path in work.rglob("*"):
            tar.add(path, arcname=path.relative_to(work).as_posix(), recursive=False)
    before = snapshot()
    capsys.readouterr()
    assert main(["restore", str(damaged), "--yes"]) == 2
    assert "kontrolsum" in capsys.readouterr().err
    assert snapshot() == before


def test_not_a_backup_gives_a_clear_message(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a tar file")
    assert main(["restore", str(junk), "--yes"]) == 2
    assert "ikke en læsbar backup" in capsys.readouterr().err


# Every character that a URL, a shell, a connection string or a password file treats specially.
AWKWARD_PASSWORD = "p@ss wörd:/%25\\:'\"`$HOME;æøå€ ~#?&=\\"


@pytest.fixture
def awkward_role() -> Iterator[tuple[str, bool]]:
    """A PostgreSQL role whose password has awkward characters, and whether the server asks for it (a
    server with trust authentication, like CI's, logs it in without). Dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore: PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("making a role to restore with needs a superuser")
        role = f"fhb_backup_{uuid.uuid4().hex[:12]}"
        # pg_restore --clean drops the tables as this role: a superuser, for the test only.
        cursor.execute(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD %s", [AWKWARD_PASSWORD])
    db = connection.settings_dict
    try:
        with psycopg.connect(
            host=db["HOST"] or None, port=db["PORT"] or None, dbname=db["NAME"], user=role, password="wrong"
        ):
            asks = False
    except psycopg.OperationalError:
        asks = True
    try:
        yield role, asks
    finally:
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute(f"REASSIGN OWNED BY {role} TO current_user")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def test_the_password_reaches_pg_dump_and_pg_restore_but_no_command_line(  # type: ignore[no-untyped-def]
    tmp_path, media, awkward_role, monkeypatch, capsys
) -> None:
    """A round trip as a role whose password has every awkward character; each client's command line
    carries neither the password nor a URL, and its password file holds the password (issue 18)."""
    role, server_asks = awkward_role
    import_extract(ImportFile("citizens.csv", citizens_csv(BASE)))
    before = snapshot()
    calls: list[tuple[list[str], str | None, str | None]] = []
    real_run = subprocess.run

    def spy(command: list[str], **kwargs):  # type: ignore[no-untyped-def]
        env = kwargs.get("env") or {}
        passfile = env.get("PGPASSFILE")
        content = Path(passfile).read_text(encoding="utf-8") if passfile else None
        calls.append((command, content, env.get("PGPASSWORD")))
        return real_run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    saved = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connections.close_all()
    connection.settings_dict.update(USER=role, PASSWORD=AWKWARD_PASSWORD)
    try:
        archive = tmp_path / "fhb.tar.gz"
        assert main(["backup", "--out", str(archive)]) == 0
        Citizen.objects.all().delete()
        assert main(["restore", str(archive), "--yes"]) == 0
        assert snapshot() == before
        clients = [call for call in calls if call[0][0] in ("pg_dump", "pg_restore")]
        if server_asks:  # the server checks passwords (not CI's): so it was the password that logged in
            connection.settings_dict["PASSWORD"] = "wrong"
            assert main(["backup", "--out", str(tmp_path / "wrong.tar.gz")]) == 2
            assert "password authentication failed" in capsys.readouterr().err
    finally:
        connections.close_all()
        connection.settings_dict.update(saved)

    assert [call[0][0] for call in clients] == ["pg_dump", "pg_restore"]
    for command, passfile, pgpassword in clients:
        line = " ".join(command)
        assert "wörd" not in line and "p@ss" not in line, f"the password is on {command[0]}'s command line"
        assert "://" not in line, f"{command[0]} was given a URL"
        assert f"user={role}" in line
        assert pgpassword is None
        assert passfile == "*:*:*:*:" + AWKWARD_PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n"
    assert not list(tmp_path.rglob(".pgpass")), "the password file is removed"
