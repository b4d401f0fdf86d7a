"""Setting the registry table's secondary indexes (and, on PostgreSQL, its foreign keys) aside for a bulk load.

A first load of the national file inserts millions of rows into `companies_company`. Maintaining its secondary
indexes row by row (random B-tree inserts into seven indexes on PostgreSQL, five on SQLite) costs several times
what the insert itself costs, and on PostgreSQL every inserted row also queues one deferred foreign-key trigger
per foreign key, all fired at commit. Building an index once over the loaded table (one sort) and validating a
foreign key once (one anti-join) is far cheaper. See docs/decisions/016-corporate-number-import-throughput.md.

What is never set aside: the primary key, the unique corporate number (the importer looks numbers up through
it, and it is what makes a re-run idempotent) and the check constraints.

Crash safety: what to rebuild is not remembered anywhere that a crash could lose. The expected set is derived
from the model itself (Django's schema editor generates the same statements as the migrations did), so
`restore()` recreates whatever is missing — in the importer's `finally`, at the start of every import (a run
killed between the two left the table without them), and from `manage.py import_corporate_numbers --repair`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from kakehashi.companies.models import Company

logger = logging.getLogger(__name__)

_FK_SUFFIX = "_fk_%(to_table)s_%(to_column)s"  # as Django's migrations name them
# Sort memory for the index builds on PostgreSQL (the server default of 64 MB spills 1 M keys to disk).
PG_MAINTENANCE_WORK_MEM = "256MB"


@dataclass(frozen=True)
class SetAside:
    """One index or foreign key of the registry table that a bulk load may drop and rebuild."""

    kind: str  # "index" or "foreign_key"
    name: str  # unquoted
    column: str  # foreign keys: the column, to recognise the constraint whatever its name
    create_sql: str


@contextlib.contextmanager
def _ddl(connection: BaseDatabaseWrapper) -> Iterator:
    """A transaction for the DDL. PostgreSQL refuses ALTER TABLE while deferred foreign-key checks of the same
    transaction are pending (only when the caller's transaction wrote rows, e.g. in tests): run them first."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _editor(connection: BaseDatabaseWrapper):
    # Not entered as a context manager: only used to generate statements (SQLite's editor refuses to be
    # entered inside a transaction, and nothing here needs it to be).
    return connection.schema_editor(collect_sql=True)


def expected(connection: BaseDatabaseWrapper) -> list[SetAside]:
    """The secondary indexes (and on PostgreSQL the foreign keys) the model defines for `companies_company`."""
    editor = _editor(connection)
    items = [
        SetAside("index", str(statement.parts["name"]).strip('"'), "", str(statement))
        for statement in editor._model_indexes_sql(Company)
    ]
    if connection.vendor == "postgresql":
        for field in Company._meta.local_concrete_fields:
            if field.remote_field is None or not field.db_constraint:
                continue
            statement = editor._create_fk_sql(Company, field, _FK_SUFFIX)
            items.append(SetAside("foreign_key", str(statement.parts["name"]).strip('"'), field.column, str(statement)))
    return items


def _constraints(connection: BaseDatabaseWrapper) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Company._meta.db_table)


def _present(constraints: dict[str, dict]) -> tuple[set[str], set[str]]:
    """(index names, foreign-key columns) that exist on the table now."""
    indexes = {name for name, info in constraints.items() if info["index"] and not info["primary_key"]}
    foreign_keys = {info["columns"][0] for info in constraints.values() if info["foreign_key"]}
    return indexes, foreign_keys


def missing(connection: BaseDatabaseWrapper) -> list[SetAside]:
    """What the model defines and the table lacks."""
    indexes, foreign_keys = _present(_constraints(connection))
    return [
        item
        for item in expected(connection)
        if (item.kind == "index" and item.name not in indexes)
        or (item.kind == "foreign_key" and item.column not in foreign_keys)
    ]


def restore(connection: BaseDatabaseWrapper) -> list[str]:
    """Create every index and foreign key of the table that is missing, in one transaction. Returns their names.

    Indexes first (the foreign keys' validation does not need them, but a failure there should not leave the
    table without its indexes): each is one sort over the table, much cheaper than the per-row maintenance it
    replaces. A foreign key is added already validated: one anti-join over the table.
    """
    todo = missing(connection)
    if not todo:
        return []
    with _ddl(connection) as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{PG_MAINTENANCE_WORK_MEM}'")
        for item in sorted(todo, key=lambda item: item.kind != "index"):
            cursor.execute(item.create_sql)
    logger.info("companies_company: restored %d indexes/foreign keys", len(todo))
    return [item.name for item in todo]


def drop(connection: BaseDatabaseWrapper) -> list[str]:
    """Drop the secondary indexes (and on PostgreSQL the foreign keys) in one short transaction."""
    quote = connection.ops.quote_name
    table = quote(Company._meta.db_table)
    constraints = _constraints(connection)
    indexes, foreign_keys = _present(constraints)
    dropped = []
    with _ddl(connection) as cursor:
        for item in expected(connection):
            if item.kind == "index" and item.name in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(item.name)}")
                dropped.append(item.name)
            elif item.kind == "foreign_key" and item.column in foreign_keys:
                for name, info in constraints.items():
                    if info["foreign_key"] and info["columns"] == [item.column]:
                        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                        dropped.append(name)
    return dropped


@contextlib.contextmanager
def set_aside(connection: BaseDatabaseWrapper, *, enabled: bool) -> Iterator[None]:
    """Within the block the table has only its primary key, its unique number and its checks; afterwards (also
    after an error) everything is rebuilt. Disabled: only makes sure nothing is missing from an earlier crash."""
    restore(connection)
    if not enabled:
        yield
        return
    drop(connection)
    try:
        yield
    except BaseException:
        try:
            restore(connection)
        except Exception:  # keep the original error; the next import (or --repair) restores them
            logger.exception("companies_company: indexes could not be restored after a failed import")
        raise
    restore(connection)
