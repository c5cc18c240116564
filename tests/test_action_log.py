"""The workflows' log lines: written when the transaction commits, never for work rolled back, and
without a citizen's CPR number or name."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from fhb.action_log import log_after_commit
from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from tests.citizens.builders import citizens_csv, person

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_line_is_logged_when_its_transaction_commits_and_not_when_it_rolls_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="fhb.actions")
    with transaction.atomic():
        log_after_commit("kept %s", 1)
        assert "kept 1" not in caplog.text, "logged before the commit"
    with pytest.raises(RuntimeError), transaction.atomic():
        log_after_commit("lost %s", 2)
        raise RuntimeError("rolled back")
    assert "kept 1" in caplog.text and "lost 2" not in caplog.text


def test_an_import_is_logged_by_its_run_and_counts_without_the_citizens(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="fhb.actions")
    rows = [person("0101401234", "Anna Andersen"), person("0202411235", "Bent Berg")]
    run = import_extract(ImportFile("citizens.csv", citizens_csv(rows)))
    (line,) = [r.getMessage() for r in caplog.records if r.name == "fhb.actions"]
    assert line.startswith(f"Indlæsning {run.pk} (citizens.csv) af systemet: 2 borgere; 2 nye"), line
    assert "0101401234" not in line and "Anna" not in line, "a log line names no citizen"
