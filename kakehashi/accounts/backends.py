"""Django's ModelBackend, with the signed-in user read as plain SQL on every request (decision 018)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from kakehashi.core.plain_sql import plain_instances

from .models import User

# The path Django stores in the session at login; `login(…, backend=ACCOUNT_BACKEND)` where one must be named.
ACCOUNT_BACKEND = "kakehashi.accounts.backends.AccountBackend"


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = plain_instances(User, "SELECT * FROM {table} WHERE id = %s", [pk])
        return found[0] if found and self.user_can_authenticate(found[0]) else None
