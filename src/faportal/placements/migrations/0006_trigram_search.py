"""Searching by part of a name or a genomförandereferens uses an index on PostgreSQL (pg_trgm's trigram indexes).

Django's ``icontains`` asks PostgreSQL for ``UPPER(column::text) LIKE UPPER('%…%')``; these indexes are on exactly
that expression. pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it.
SQLite has nothing to match them and searches by reading the rows.
"""

from django.db import migrations

INDEXES = {
    "placement_search_name_trgm": ("placements_placement", "search_name"),
    "placement_reference_trgm": ("placements_placement", "genomforandereferens"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("placements", "0005_fill_copies")]

    # Going back leaves the extension: other things may use it.
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
