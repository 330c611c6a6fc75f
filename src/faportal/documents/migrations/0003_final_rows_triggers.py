"""The database itself refuses to change or delete a submitted document or a decided review (SPEC S5).

The querysets refuse it too (``DocumentQuerySet``, ``ReviewQuerySet``); the triggers also stop raw SQL and any code
that goes around them. On SQLite only updates are refused by a trigger: Django empties a test database with DELETE
there (PostgreSQL's TRUNCATE fires no row triggers), and the querysets refuse deletes on both.
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE FUNCTION documents_final_row() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is final: it never changes', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER document_submitted_is_final BEFORE UPDATE OR DELETE ON documents_document
    FOR EACH ROW WHEN (OLD.submitted_at IS NOT NULL) EXECUTE FUNCTION documents_final_row();
    """,
    """
    CREATE TRIGGER review_decided_is_final BEFORE UPDATE OR DELETE ON documents_review
    FOR EACH ROW WHEN (OLD.decided_at IS NOT NULL) EXECUTE FUNCTION documents_final_row();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS review_decided_is_final ON documents_review;",
    "DROP TRIGGER IF EXISTS document_submitted_is_final ON documents_document;",
    "DROP FUNCTION IF EXISTS documents_final_row();",
]
SQLITE = [
    """
    CREATE TRIGGER document_submitted_is_final_update BEFORE UPDATE ON documents_document
    WHEN OLD.submitted_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'a submitted document never changes'); END;
    """,
    """
    CREATE TRIGGER review_decided_is_final_update BEFORE UPDATE ON documents_review
    WHEN OLD.decided_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'a decided review never changes'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS document_submitted_is_final_update;",
    "DROP TRIGGER IF EXISTS review_decided_is_final_update;",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            # No parameters: psycopg would otherwise read the "%" of RAISE EXCEPTION as a placeholder.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_catalogue_and_terms")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
