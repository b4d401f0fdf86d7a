"""Login throttling and session expiry."""

import time

import pytest
from django.urls import reverse

from kakehashi.accounts.middleware import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db
PASSWORD = "pass-for-tests-123"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_from_that_address(client, make_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    make_user("communicator", username="taro")
    for _i in range(5):
        assert _login(client, "taro", "wrong").status_code == 200
    locked = _login(client, "taro", PASSWORD)
    assert locked.status_code == 429
    assert "しばらくログインできません" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address (another person in the office) is not locked out.
    from django.test import Client

    other = Client()
    assert _login(other, "taro", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_success_resets_the_count(client, make_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user("communicator", username="taro")
    _login(client, "taro", "wrong")
    _login(client, "taro", "wrong")
    assert _login(client, "taro", PASSWORD).status_code == 302
    client.logout()
    _login(client, "taro", "wrong")
    _login(client, "taro", "wrong")
    assert _login(client, "taro", PASSWORD).status_code == 302


def test_idle_session_ends(client, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(make_user("communicator"))
    assert client.get(reverse("accounts:detail")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 601
    session.save()
    response = client.get(reverse("accounts:detail"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_active_session_stays(client, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(make_user("communicator"))
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 599
    session.save()
    assert client.get(reverse("accounts:detail")).status_code == 200


def test_session_settings_are_bounded(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
