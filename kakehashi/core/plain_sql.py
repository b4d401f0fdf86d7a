"""Written SQL for the few reads every request makes (decision 018).

On this hardware the ORM spends 0.3–1 ms *compiling* even a primary-key lookup, more than the database takes
to answer it; a signed-in page made five such reads before its own work. These helpers run the same reads as
plain SQL over a model's table. Only for hot, simple reads — everything else uses the ORM.

In `sql`, `{table}` stands for the model's quoted table name and `{name}` for that of each `name=Model` given.
"""

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
