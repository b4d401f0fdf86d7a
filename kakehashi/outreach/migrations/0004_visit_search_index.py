"""Full-text search over visit summaries and hearing answers (docs/decisions/005-visit-search.md).

PostgreSQL: a pg_trgm GIN index on `search_text` (when the extension can be created), so LIKE '%…%' is indexed
for queries of three characters or more. SQLite: an FTS5 table with the trigram tokenizer over the same column
(rowid = visit id, kept in step by the visit services). Other databases get nothing: the LIKE fallback still works.
"""

from django.db import migrations

SQLITE_TABLE = "outreach_visit_fts"
PG_INDEX = "visit_search_text_trgm_idx"


def _sqlite_has_trigram(cursor) -> bool:
    import sqlite3

    return tuple(int(p) for p in sqlite3.sqlite_version.split(".")[:2]) >= (3, 34)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if not _sqlite_has_trigram(cursor):
                return
            # rowid = the visit's id; the table keeps its own copy of the text (simple and robust to deletes).
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(search_text, tokenize='trigram')"
            )
            cursor.execute(f"INSERT INTO {SQLITE_TABLE}(rowid, search_text) SELECT id, search_text FROM outreach_visit")  # noqa: S608
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if cursor.fetchone() is None:
                cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
                if cursor.fetchone() is None:
                    return
                cursor.execute("SAVEPOINT kh_trgm")
                try:
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                except Exception:  # no privilege: search falls back to a sequential LIKE
                    cursor.execute("ROLLBACK TO SAVEPOINT kh_trgm")
                    return
                cursor.execute("RELEASE SAVEPOINT kh_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON outreach_visit USING gin (search_text gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_visit_search_text_drafts_idempotency"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
