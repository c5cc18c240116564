"""fhb backup / restore give pg_dump and pg_restore the database password in a password file (or the
environment), never on their command lines, which every user of the machine sees in ``ps``; and any
character in it works (in DATABASE_URL it arrives percent-encoded). No database needed: the round trip
with such a password is in test_backup.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote

import dj_database_url
import pytest
from psycopg.conninfo import conninfo_to_dict

from fhb.operations.backup import (
    PostgresClient,
    client_environment,
    passfile_entry,
    pg_dump_command,
    pg_restore_command,
)

AWKWARD = [
    "simple",
    "with space",
    'it\'s "quoted"',
    "colon:at@slash/percent%hash#query?and&",
    "back\\slash\\:and\\\\double",
    "trailing\\",
    ":leading colon",
    "*",
    "Ærø-æøå-ÆØÅ-€-日本",
    "semi;colon=equals 'single' \\'",
    "multi\nline",
]


def read_passfile_line(line: str) -> tuple[list[str], str]:
    r"""Split a password file's line the way libpq does (fe-connect.c, passwordFromFile): the fields are
    separated by ``:``, and ``\`` makes the next character literal. Returns the first four fields and
    the password."""
    fields: list[str] = []
    current: list[str] = []
    chars = iter(line.rstrip("\n"))
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ":" and len(fields) < 4:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    return fields, "".join(current)


def settings_from_url(password: str, user: str = "fhb", query: str = "") -> dict:  # type: ignore[type-arg]
    """A DATABASES entry as settings.py makes it from DATABASE_URL, the password percent-encoded."""
    url = f"postgres://{quote(user, safe='')}:{quote(password, safe='')}@db.kommune.dk:5433/fhb{query}"
    return dict(dj_database_url.parse(url))


@pytest.mark.parametrize("password", AWKWARD)
def test_no_command_line_carries_the_password(password: str, tmp_path: Path) -> None:
    settings = settings_from_url(password, user="fhb ejer's")
    assert settings["PASSWORD"] == password, "dj-database-url decodes the percent escapes"
    client = PostgresClient.from_settings(settings)
    assert client.password == password
    for command in (
        pg_dump_command(client.conninfo, tmp_path / "database.pgdump"),
        pg_restore_command(client.conninfo, tmp_path / "database.pgdump"),
    ):
        line = " ".join(command)
        assert password not in line
        assert quote(password, safe="") not in line
        assert "://" not in line, "no URL (a URL is where a password would go)"
    # libpq's own parser reads the connection string back: where to connect, and no password.
    assert conninfo_to_dict(client.conninfo) == {
        "host": "db.kommune.dk",
        "port": "5433",
        "user": "fhb ejer's",
        "dbname": "fhb",
    }


@pytest.mark.parametrize("password", [p for p in AWKWARD if "\n" not in p])
def test_the_password_file_holds_the_password_escaped(password: str, tmp_path: Path) -> None:
    with client_environment(password, tmp_path) as env:
        assert "PGPASSWORD" not in env
        passfile = Path(env["PGPASSFILE"])
        assert passfile.parent == tmp_path
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600, "libpq ignores a password file others can read"
        content = passfile.read_text(encoding="utf-8")
        assert content == passfile_entry(password)
        assert content.count("\n") == 1
        fields, read_back = read_passfile_line(content)
        assert fields == ["*", "*", "*", "*"], "one line that matches any host, port, database and user"
        assert read_back == password
    assert not passfile.exists(), "the password file is removed when the client has ended"


def test_colon_and_backslash_are_escaped() -> None:
    assert passfile_entry("a:b\\c") == "*:*:*:*:a\\:b\\\\c\n"
    assert passfile_entry("\\:") == "*:*:*:*:\\\\\\:\n"


def test_a_password_with_a_line_break_goes_in_the_environment(tmp_path: Path) -> None:
    """A password file has one entry a line, so it cannot hold such a password."""
    with client_environment("multi\nline", tmp_path) as env:
        assert env["PGPASSWORD"] == "multi\nline"
        assert "PGPASSFILE" not in env
    assert list(tmp_path.iterdir()) == []


def test_an_inherited_pgpassword_does_not_win_over_the_password_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", "the operator's shell")
    with client_environment("the app's", tmp_path) as env:
        assert "PGPASSWORD" not in env
        assert read_passfile_line(Path(env["PGPASSFILE"]).read_text())[1] == "the app's"
    assert os.environ["PGPASSWORD"] == "the operator's shell", "this process's environment is untouched"


def test_without_a_password_libpq_looks_as_usual(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No password in DATABASE_URL: ~/.pgpass, PGPASSFILE or PGPASSWORD of the service stay in force."""
    monkeypatch.setenv("PGPASSFILE", "/etc/fhb/pgpass")
    settings = dict(dj_database_url.parse("postgres://fhb@db/fhb"))
    client = PostgresClient.from_settings(settings)
    assert client.password is None
    with client_environment(client.password, tmp_path) as env:
        assert env["PGPASSFILE"] == "/etc/fhb/pgpass"
    assert list(tmp_path.iterdir()) == []


def test_the_connection_settings_of_the_url_reach_the_clients() -> None:
    """?sslmode=verify-full and the like apply to the backup as to the app (the old URL dropped them)."""
    settings = settings_from_url("pw", query="?sslmode=verify-full&sslrootcert=/etc/fhb/ca.pem")
    assert conninfo_to_dict(PostgresClient.from_settings(settings).conninfo) == {
        "host": "db.kommune.dk",
        "port": "5433",
        "user": "fhb",
        "dbname": "fhb",
        "sslmode": "verify-full",
        "sslrootcert": "/etc/fhb/ca.pem",
    }


def test_no_host_means_the_local_socket_as_for_the_app() -> None:
    settings = dict(dj_database_url.parse("postgres:///fhb"))
    assert conninfo_to_dict(PostgresClient.from_settings(settings).conninfo) == {"dbname": "fhb"}


def test_a_socket_folder_with_a_space_is_quoted() -> None:
    settings = dict(dj_database_url.parse("postgres://fhb:pw@%2Fvar%2Frun%2Fpg%20sock/fhb"))
    assert conninfo_to_dict(PostgresClient.from_settings(settings).conninfo) == {
        "host": "/var/run/pg sock",
        "user": "fhb",
        "dbname": "fhb",
    }


def test_a_passfile_of_the_url_is_used_only_without_a_password() -> None:
    """In the connection string it would win over the password file with the URL's own password."""
    with_password = settings_from_url("pw", query="?passfile=/etc/fhb/pgpass")
    assert "passfile" not in conninfo_to_dict(PostgresClient.from_settings(with_password).conninfo)
    without = dict(dj_database_url.parse("postgres://fhb@db/fhb?passfile=/etc/fhb/pgpass"))
    assert conninfo_to_dict(PostgresClient.from_settings(without).conninfo)["passfile"] == "/etc/fhb/pgpass"
