"""A consistent backup of the database and the stored files (letters), and its restore.

A backup is one ``.tar.gz`` holding ``manifest.json`` (what, when, row counts, checksums), the database
(SQLite: a copy made with SQLite's online backup API, consistent while the app runs; PostgreSQL:
``pg_dump --format=custom``, a consistent snapshot) and ``files/`` (the media folder: stored letters).
Restore checks the checksums first and refuses a backup of another database kind.

pg_dump and pg_restore get the database as a libpq connection string without the password (their
command lines show in ``ps`` to every user of the machine); the password goes in a password file
(``PGPASSFILE``, 0600 in the work folder, removed when the client ends), or, when it holds a line break,
which a password file cannot, in ``PGPASSWORD`` in the client's environment (readable by fhb's user and
root only, like the settings it came from).
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
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from psycopg.conninfo import make_conninfo

from fhb.core.private_files import open_private, private_folder, write_private

FORMAT = 1
COUNTED = ("citizens.Citizen", "citizens.CareEvent", "offers.Offer", "citizens.ImportRun")

# libpq's connection settings that DATABASES' OPTIONS (the query of DATABASE_URL, e.g. ?sslmode=verify-full)
# may carry and that pg_dump and pg_restore must connect with too, as the app does. Not ``sslpassword``:
# a secret, and a connection string is shown on the command line.
LIBPQ_OPTIONS = (
    "service",
    "passfile",
    "hostaddr",
    "connect_timeout",
    "options",
    "application_name",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "requirepeer",
    "gssencmode",
    "krbsrvname",
    "channel_binding",
    "target_session_attrs",
)


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
            client = PostgresClient.from_settings(connection.settings_dict)
            client.run(pg_dump_command(client.conninfo, work / database_file), work)
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
            client = PostgresClient.from_settings(connection.settings_dict)
            connections.close_all()
            client.run(pg_restore_command(client.conninfo, database), work)
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


@dataclass(frozen=True)
class PostgresClient:
    """How pg_dump and pg_restore reach the app's database: where (``conninfo``, never the password) and
    the password apart (None: none is configured, and libpq looks as usual, e.g. in ~/.pgpass)."""

    conninfo: str
    password: str | None

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> PostgresClient:
        """From a DATABASES entry (dj-database-url has already decoded the URL's percent escapes)."""
        options = settings_dict.get("OPTIONS") or {}
        password = settings_dict.get("PASSWORD") or None
        params = {
            "host": settings_dict.get("HOST"),  # none: libpq's default socket, as the app's own connection
            "port": settings_dict.get("PORT"),
            "user": settings_dict.get("USER"),
            "dbname": settings_dict.get("NAME"),
            **{key: options.get(key) for key in LIBPQ_OPTIONS},
        }
        if password is not None:
            params.pop("passfile")  # a passfile in the connection string would win over the client's own
        conninfo = make_conninfo("", **{key: str(value) for key, value in params.items() if value})
        return cls(conninfo=conninfo, password=password)

    def run(self, command: list[str], folder: Path) -> None:
        """Run the client ``command`` with the password in its environment; ``folder`` is private (0700)
        and holds the password file while the client runs."""
        with client_environment(self.password, folder) as env:
            run_client(command, env)


def pg_dump_command(conninfo: str, out: Path) -> list[str]:
    return ["pg_dump", "--format=custom", "--no-owner", "--file", str(out), "--dbname", conninfo]


def pg_restore_command(conninfo: str, dump: Path) -> list[str]:
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", conninfo, str(dump)]


def passfile_entry(password: str) -> str:
    r"""A password file's line that matches every host, port, database and user; ``\`` and ``:`` in the
    password are written ``\\`` and ``\:`` (https://www.postgresql.org/docs/current/libpq-pgpass.html)."""
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    return f"*:*:*:*:{escaped}\n"


@contextmanager
def client_environment(password: str | None, folder: Path) -> Iterator[dict[str, str]]:
    """The environment of a PostgreSQL client that must log in with ``password``: this process's own,
    with ``PGPASSFILE`` naming a password file in ``folder`` (0600, removed when the block ends), or
    ``PGPASSWORD`` for a password with a line break. An inherited ``PGPASSWORD`` would win over the file,
    so it is dropped. Without a password the environment is this process's own."""
    env = dict(os.environ)
    if password is None:
        yield env
        return
    env.pop("PGPASSWORD", None)
    if "\n" in password or "\r" in password:
        env["PGPASSWORD"] = password
        yield env
        return
    passfile = folder / ".pgpass"
    write_private(passfile, passfile_entry(password).encode("utf-8"))
    env["PGPASSFILE"] = str(passfile)
    try:
        yield env
    finally:
        passfile.unlink(missing_ok=True)


def run_client(command: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL client; a missing client or a failure is a BackupError with its message."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
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
