"""No consultant has two planned visits at once, on PostgreSQL: an exclusion constraint over the consultant
and the visit's time, ``[start, end)``, so one visit may begin when the other ends.

Only planned visits count. The synthetic past years (``fhb.stats.history``, which the demo writes) place
held and closed-door visits without looking at the consultant's other visits, so a constraint over those
states would refuse the demo's history; bookings, moves and the planner only ever write planned visits.

The constraint is checked at commit (``DEFERRABLE INITIALLY DEFERRED``): the planner moves its drafts one
row at a time, and a plan without overlaps may pass through one on the way. The booking service checks it
at once inside its own transaction (``SET CONSTRAINTS ... IMMEDIATE``, :mod:`fhb.planning.booking`).

btree_gist (for ``consultant_id WITH =`` in a GiST index) ships with PostgreSQL and is a trusted extension
(13+): the database owner may create it. SQLite (the demo) has no exclusion constraints; there the
booking service checks the time inside an immediate transaction, which holds the database's only write
lock. A database whose planned visits already overlap is refused with the visits to move first.
"""

from django.db import migrations

NAME = "visit_consultant_no_overlap"
LIVE = "('planned')"

OVERLAPS = f"""
SELECT a.id, b.id, a.consultant_id, a.start, b.start
FROM visits_visit a JOIN visits_visit b
  ON a.consultant_id = b.consultant_id AND a.id < b.id AND a.start < b."end" AND b.start < a."end"
WHERE a.status IN {LIVE} AND b.status IN {LIVE}
ORDER BY a.start
LIMIT 20
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        found = cursor.fetchall()
    if found:
        pairs = "; ".join(
            f"visits {a} and {b} (consultant {who}, {start:%Y-%m-%d %H:%M %Z})"
            for a, b, who, start, _ in found
        )
        raise RuntimeError(
            f"Planned visits of one consultant overlap, so {NAME} cannot be added. Move or cancel one visit "
            f"of each pair (the planning page's 'Flyt'), then migrate again. First {len(found)}: {pairs}"
        )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE visits_visit ADD CONSTRAINT {NAME} EXCLUDE USING gist "
        f"(consultant_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
        f"WHERE (status IN {LIVE}) DEFERRABLE INITIALLY DEFERRED"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE visits_visit DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0004_drive_minutes")]

    operations = [migrations.RunPython(create, drop)]
