"""fhb check: what monitoring sees."""

from __future__ import annotations

import json

import pytest

from fhb.cli import main
from fhb.commands.check import run_checks

pytestmark = pytest.mark.django_db


def by_name() -> dict[str, str]:
    return {c.name: c.status for c in run_checks()}


def test_fresh_database_is_healthy_but_warns_of_no_data() -> None:
    status = by_name()
    assert status["database"] == status["migrations"] == status["standard"] == "ok"
    assert status["import"] == "warning" and status["eligibility"] == "warning"


def test_invalid_standard_is_an_error_with_exit_1(settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.FHB_STANDARD = "/nowhere/kommune.toml"
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[error  ] standard" in out and "kommune.toml" in out


def test_json_output_for_monitoring(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", "--json"]) == 0
    checks = json.loads(capsys.readouterr().out)
    assert {c["name"] for c in checks} >= {"database", "migrations", "standard", "settings"}
    assert all(c["status"] in {"ok", "warning", "error"} for c in checks)


def test_monitoring_sees_whether_a_worker_runs_and_what_waits() -> None:
    from fhb.jobs.starting import start_job
    from fhb.jobs.worker import announce

    start_job("eligibility_run", "Årskørsel for 2027", params={"year": 2027, "kind": "yearly"})
    worker = next(c for c in run_checks() if c.name == "worker")
    assert worker.status == "warning" and "ingen fhb worker set (aldrig)" in worker.detail
    assert "1 job i kø" in worker.detail
    announce("tests:3")
    assert by_name()["worker"] == "ok"
