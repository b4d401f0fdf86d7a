import pytest
from django.db import ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kakehashi.accounts.models import User, UserRole
from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.core.plain_sql import plain_instances, plain_rows, server_bound_rows

pytestmark = pytest.mark.django_db


def test_plain_rows_fill_in_the_quoted_table_names():
    user = UserFactory(roles=["manager", "communicator"])
    rows = plain_rows(
        UserRole,
        "SELECT r.role, u.username FROM {table} r JOIN {users} u ON u.id = r.user_id WHERE r.user_id = %s"
        " ORDER BY r.role",
        [user.pk],
        users=User,
    )
    assert rows == [("communicator", user.username), ("manager", user.username)]


def test_plain_instances_are_model_instances_with_converted_values():
    user = UserFactory(display_name="山形 花子")
    (found,) = plain_instances(User, "SELECT * FROM {table} WHERE id = %s", [user.pk])
    assert isinstance(found, User)
    assert (found.pk, found.display_name, found.date_joined) == (user.pk, "山形 花子", user.date_joined)
    assert plain_instances(User, "SELECT * FROM {table} WHERE id = %s", [user.pk + 1000]) == []


@pytest.mark.parametrize("prepare", [False, True])
def test_server_bound_rows_bind_an_array_as_one_value_and_are_logged(prepare):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    users = [UserFactory(), UserFactory()]
    wanted = [user.username for user in users] + [f"nobody-{i}" for i in range(5000)]
    sql = "SELECT username FROM accounts_user WHERE username = ANY(%s) ORDER BY id"

    with CaptureQueriesContext(connection) as queries:
        rows = server_bound_rows(sql, [wanted], prepare=prepare)

    assert rows == [(user.username,) for user in users]
    assert [query["sql"] for query in queries.captured_queries] == [sql]
    assert connection.connection.prepare_threshold is None  # Django's setting is put back


def test_server_bound_rows_raise_djangos_errors():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with pytest.raises(ProgrammingError), transaction.atomic():
        server_bound_rows("SELECT * FROM no_such_table WHERE id = %s", [1])
