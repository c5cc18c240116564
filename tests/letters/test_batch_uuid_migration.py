"""Migration letters 0003: batches stored before it each get a uuid of their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("letters", "0002_initial")]
AFTER = [("letters", "0003_batch_uuid")]


@pytest.mark.django_db(transaction=True)
def test_batches_stored_before_the_migration_each_get_their_own_uuid() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        dispatch = old.get_model("letters", "Dispatch").objects.create(description="Tilbudsbreve")
        batches = old.get_model("letters", "Batch").objects
        for status in ("delivered", "delivered", "open"):
            batches.create(transport="file_drop", dispatch=dispatch, status=status)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        uuids = list(new.get_model("letters", "Batch").objects.values_list("uuid", flat=True))
        assert len(uuids) == 3 and None not in uuids, uuids
        assert len(set(uuids)) == 3, f"each batch its own uuid: {uuids}"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
