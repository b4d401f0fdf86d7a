"""Written SQL for the few reads every request makes (decision 018).

On this hardware the ORM spends 0.3–1 ms *compiling* even a primary-key lookup, more than the database takes
to answer it; a signed-in page made five such reads before its own work. These helpers run the same reads as
plain SQL over a model's table. Only for hot, simple reads — everything else uses the ORM.

In `sql`, `{table}` stands for the model's quoted table name and `{name}` for that of each `name=Model` given.

`server_bound_rows` is the PostgreSQL counterpart for statements whose parameters are large or whose planning
costs as much as running them (the matcher's candidate query, the importer's look-up by 20,000 numbers).
"""

import time

from django.db import connections


def _sql(model, sql: str, others: dict) -> str:
    quote = connections[model._default_manager.db].ops.quote_name
    tables = {name: quote(other._meta.db_table) for name, other in others.items()}
    return sql.format(table=quote(model._meta.db_table), **tables)


def plain_rows(model, sql: str, params=(), **other_models) -> list[tuple]:
    """The rows of one SELECT as tuples."""
    with connections[model._default_manager.db].cursor() as cursor:
        cursor.execute(_sql(model, sql, other_models), params)
        return cursor.fetchall()


def plain_instances(model, sql: str, params=(), **other_models) -> list:
    """Model instances from one SELECT of the table's columns (`raw()`: extra columns become attributes)."""
    return list(model._default_manager.raw(_sql(model, sql, other_models), params))


def server_bound_rows(sql: str, params, *, using: str = "default", prepare: bool = False) -> list[tuple]:
    """PostgreSQL only: the rows of one SELECT run on a server-binding psycopg cursor.

    Django's cursors bind client-side: every parameter is spelled into the statement as a literal for the server
    to parse, and nothing is ever prepared. Here the parameters travel apart (an array of 20,000 numbers is one
    value), and with `prepare` the statement is planned once per connection — unless the database's OPTIONS set
    `prepare_threshold` themselves (e.g. None behind a transaction pooler); Django opens psycopg connections with
    preparation off. Errors come as Django's, and the query is logged as Django's debug cursor would log it.
    """
    import psycopg

    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    prepare = prepare and "prepare_threshold" not in connection.settings_dict.get("OPTIONS", {})
    started = time.monotonic()
    try:
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            if not prepare:
                cursor.execute(sql, params)
                return cursor.fetchall()
            threshold = raw.prepare_threshold
            raw.prepare_threshold = 0
            try:
                cursor.execute(sql, params, prepare=True)
            finally:
                raw.prepare_threshold = threshold
            return cursor.fetchall()
    finally:
        if connection.queries_logged:  # query counts and the debug toolbar see it
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
