"""Django's database sessions, with the session row read as plain SQL on every request (decision 018).

`SESSION_ENGINE = "kakehashi.accounts.sessions"`: the same table, keys, expiry and writes as
`django.contrib.sessions.backends.db`; only the read skips the ORM's query compilation.
"""

from django.contrib.sessions.backends import db
from django.db import connections
from django.utils import timezone

from kakehashi.core.plain_sql import plain_instances


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        now = connections[self.model._default_manager.db].ops.adapt_datetimefield_value(timezone.now())
        sql = "SELECT * FROM {table} WHERE session_key = %s AND expire_date > %s"
        found = plain_instances(self.model, sql, [self.session_key, now])
        if found:
            return found[0]
        self._session_key = None
        return None
