"""Indexes for the citizen search on PostgreSQL: trigram (pg_trgm) indexes for "contains" on the name and
the street, and one for the city. Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%word%')``, so
the indexes are on the same expression. SQLite (the demo) has no trigram indexes and needs none at its size.

pg_trgm ships with PostgreSQL and is a trusted extension (13+): the database owner may create it.
"""

from django.db import migrations

INDEXES = (
    "CREATE INDEX IF NOT EXISTS citizen_name_trgm ON citizens_citizen USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS dwelling_street_trgm ON citizens_dwelling USING gin (UPPER(street::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS dwelling_city_upper ON citizens_dwelling (UPPER(city::text))",
    "CREATE INDEX IF NOT EXISTS dwelling_postcode ON citizens_dwelling (postcode)",
)
DROP = ("citizen_name_trgm", "dwelling_street_trgm", "dwelling_city_upper", "dwelling_postcode")


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in DROP:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("citizens", "0002_anonymised")]

    operations = [migrations.RunPython(create, drop)]
