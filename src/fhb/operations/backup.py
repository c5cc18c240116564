"""A consistent backup of the database and the stored files (letters), and its restore.

A backup is one ``.tar.gz`` holding ``manifest.json`` (what, when, row counts, checksums), the database
(SQLite: a copy made with SQLite's online backup API, consistent while the app runs; PostgreSQL:
``pg_dump --format=custom``, a consistent snapshot) and ``files/`` (the media folder: stored letters).
Restore checks the checksums first and refuses a backup of another database kind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from fhb.core.private_files import open_private, private_folder

FORMAT = 1
COUNTED = ("citizens.Citizen", "citizens.CareEvent", "offers.Offer", "citizens.ImportRun")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (Danish)."""


@dataclass(frozen=True)
class Manifest:
    format: int
    created: str
    vendor: str
    database_file: str
    database_sha256: str
    files: int
    counts: dict[str, int]


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def create_backup(out: Path) -> Manifest:
    """Write a backup to ``out`` (a .tar.gz) and return its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="fhb-backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            database_file = "database.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(work / database_file)) as target:
                connection.connection.backup(target)  # the online backup API: consistent while in use
        elif connection.vendor == "postgresql":
            database_file = "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(work / database_file), _pg_url()])
        else:
            raise BackupError(f"databasetypen {connection.vendor} understøttes ikke")
        files = [p for p in media.rglob("*") if p.is_file()] if media.is_dir() else []
        manifest = Manifest(
            format=FORMAT,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            vendor=connection.vendor,
            database_file=database_file,
            database_sha256=_sha256(work / database_file),
            files=len(files),
            counts=row_counts(),
        )
        (work / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2), encoding="utf-8")
        if not out.parent.exists():
            private_folder(out.parent)
        partial = out.with_name(out.name + ".partial")
        # Every CPR number and journal note is in it: readable by fhb's user only, whatever the umask.
        with open_private(partial) as file, tarfile.open(fileobj=file, mode="w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / database_file, arcname=database_file)
            for path in files:
                tar.add(path, arcname=f"files/{path.relative_to(media).as_posix()}")
        os.replace(partial, out)  # a backup file is either whole or absent
    return manifest


def restore_backup(archive: Path) -> Manifest:
    """Replace the database and the stored files with those of ``archive``."""
    if not archive.is_file():
        raise BackupError(f"backupfilen findes ikke: {archive}")
    with tempfile.TemporaryDirectory(prefix="fhb-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links and paths outside
                    tar.extractall(work, filter="data")
                else:  # pragma: no cover
                    _refuse_unsafe_members(tar)
                    tar.extractall(work)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{archive} er ikke en læsbar backup: {error}") from error
        manifest = _read_manifest(work / "manifest.json", archive)
        database = work / manifest.database_file
        if not database.is_file() or _sha256(database) != manifest.database_sha256:
            raise BackupError(f"{archive}: databasefilen mangler eller er beskadiget (kontrolsum)")
        if manifest.vendor != connection.vendor:
            raise BackupError(
                f"{archive} er en backup af {manifest.vendor}, men databasen er {connection.vendor}"
            )
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(database)) as source:
                source.backup(connection.connection)
        else:
            connections.close_all()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", _pg_url(), str(database)])
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (work / "files").is_dir():
            shutil.copytree(work / "files", media)
    return manifest


def _refuse_unsafe_members(tar: tarfile.TarFile) -> None:
    for member in tar.getmembers():
        if (
            member.name.startswith("/")
            or ".." in Path(member.name).parts
            or not (member.isfile() or member.isdir())
        ):
            raise BackupError(f"usikkert indhold i backupfilen: {member.name}")


def _read_manifest(path: Path, archive: Path) -> Manifest:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(f"{archive}: manifest.json mangler eller er ugyldig: {error}") from error
    if manifest.format != FORMAT:
        raise BackupError(f"{archive}: ukendt backupformat {manifest.format}")
    return manifest


def _pg_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{db['NAME']}"


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} findes ikke på maskinen (PostgreSQL-klienten skal installeres)"
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} fejlede: {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
