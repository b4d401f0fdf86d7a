"""A published hearing-manual version is frozen: the database refuses to change it (SQLite and PostgreSQL).

The manual services never update a version; this trigger catches everything else (admin, shell, raw SQL through
the ORM). Only `change_note` may still be corrected. Other databases rely on the services alone.
"""

from django.db import migrations

TABLE = "outreach_hearingmanualversion"
MESSAGE = "published hearing manual versions are frozen"

SQLITE_CREATE = f"""
CREATE TRIGGER IF NOT EXISTS manualversion_frozen BEFORE UPDATE ON {TABLE}
FOR EACH ROW WHEN OLD.definition IS NOT NEW.definition OR OLD.valid_from IS NOT NEW.valid_from
    OR OLD.number IS NOT NEW.number OR OLD.manual_id IS NOT NEW.manual_id
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS manualversion_frozen"

PG_CREATE = [
    f"""
CREATE OR REPLACE FUNCTION manualversion_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.definition IS DISTINCT FROM NEW.definition OR OLD.valid_from IS DISTINCT FROM NEW.valid_from
       OR OLD.number IS DISTINCT FROM NEW.number OR OLD.manual_id IS DISTINCT FROM NEW.manual_id THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    f"DROP TRIGGER IF EXISTS manualversion_frozen ON {TABLE}",
    f"CREATE TRIGGER manualversion_frozen BEFORE UPDATE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION manualversion_frozen()",
]
PG_DROP = [f"DROP TRIGGER IF EXISTS manualversion_frozen ON {TABLE}", "DROP FUNCTION IF EXISTS manualversion_frozen()"]


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [SQLITE_CREATE])
    elif vendor == "postgresql":
        _run(schema_editor, PG_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [SQLITE_DROP])
    elif vendor == "postgresql":
        _run(schema_editor, PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0005_manual_drafts_content_files")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
