import pytest

from kakehashi.accounts.models import User, UserRole
from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.core.plain_sql import plain_instances, plain_rows

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
