"""The signed-in user and the session are read as plain SQL on every request (decision 018): same rules as Django's."""

import datetime

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from kakehashi.accounts.backends import ACCOUNT_BACKEND, AccountBackend
from kakehashi.accounts.sessions import SessionStore

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_backend_returns_active_users_only():
    active, inactive = UserFactory(), UserFactory(is_active=False)
    assert AccountBackend().get_user(str(active.pk)) == active
    assert AccountBackend().get_user(inactive.pk) is None
    assert AccountBackend().get_user(active.pk + 1000) is None
    assert AccountBackend().get_user("not-a-number") is None


def test_role_codes_are_read_once_per_user_object(django_assert_num_queries):
    user = UserFactory(roles=["manager", "communicator"])
    with django_assert_num_queries(1):
        assert user.role_codes == {"manager", "communicator"}
        assert user.has_role("manager")


def _session_for(user, *, expires_in: datetime.timedelta) -> SessionStore:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = ACCOUNT_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    session.model.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + expires_in)
    return session


def test_a_live_session_is_loaded_and_an_expired_one_is_not():
    user = UserFactory()
    live = _session_for(user, expires_in=datetime.timedelta(hours=1))
    expired = _session_for(user, expires_in=-datetime.timedelta(seconds=1))
    assert SessionStore(live.session_key)[SESSION_KEY] == str(user.pk)
    stale = SessionStore(expired.session_key)
    assert SESSION_KEY not in stale
    assert stale.session_key is None  # a new key is issued rather than the expired one reused


def test_signing_in_and_out_through_the_login_page(client):
    user = UserFactory(roles=["communicator"])  # a role without a second factor
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "pass-for-tests-123"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).wsgi_request.user == user
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("core:home")).wsgi_request.user.is_authenticated
