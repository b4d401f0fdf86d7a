"""Two-factor sign-in: required for prefecture staff and managers, optional for others; codes used once."""

import re
import time

import pyotp
import pytest
from django.urls import reverse

from kakehashi.accounts import mfa
from kakehashi.accounts.models import RecoveryCode, TOTPDevice
from kakehashi.accounts.services import mfa_enroll

pytestmark = pytest.mark.django_db
PASSWORD = "pass-for-tests-123"


def _login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _enrol(user) -> tuple[str, list[str]]:
    secret = mfa.new_secret()
    codes = mfa_enroll(actor=user, user=user, secret=secret, code=pyotp.TOTP(secret).now())
    TOTPDevice.objects.filter(user=user).update(last_used_step=0)
    return secret, codes


@pytest.mark.parametrize("role", ["prefecture", "manager"])
def test_office_roles_are_sent_to_setup_and_signed_in_only_after_it(client, make_user, role):
    user = make_user(role, username="office")
    response = _login(client, "office")
    assert response.status_code == 302
    assert response.url == reverse("accounts:mfa_setup")
    assert not _signed_in(client), "the password alone does not sign in"
    assert client.get(reverse("core:home")).status_code == 302

    page = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert "<svg" in page
    secret = re.search(r"data-mfa-secret[^>]*>([A-Z2-7]+)<", page).group(1)
    assert client.post(reverse("accounts:mfa_setup"), {"code": "000000"}).status_code == 200
    assert not _signed_in(client)

    response = client.post(reverse("accounts:mfa_setup"), {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"data-recovery-code>([A-Z0-9-]+)<", response.content.decode())
    assert len(codes) == 10
    assert _signed_in(client)
    assert TOTPDevice.objects.get(user=user).secret == secret
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert not stored & set(codes), "recovery codes are stored hashed"


def test_communicator_signs_in_with_the_password_alone(client, make_user):
    make_user("communicator", username="comm")
    response = _login(client, "comm")
    assert response.status_code == 302
    assert _signed_in(client)


def test_enrolled_user_needs_a_fresh_code_each_time(client, make_user):
    user = make_user("manager", username="mgr")
    secret, _codes = _enrol(user)
    response = _login(client, "mgr")
    assert response.url == reverse("accounts:mfa_verify")
    assert client.post(reverse("accounts:mfa_verify"), {"code": "123456"}).status_code == 400
    assert not _signed_in(client)
    code = pyotp.TOTP(secret).now()
    response = client.post(reverse("accounts:mfa_verify"), {"code": code})
    assert response.status_code == 302
    assert _signed_in(client)

    client.logout()
    _login(client, "mgr")
    replay = client.post(reverse("accounts:mfa_verify"), {"code": code})
    assert replay.status_code == 400, "a code is accepted once"
    assert not _signed_in(client)


def test_recovery_code_works_once(client, make_user):
    user = make_user("prefecture", username="pref")
    _secret, codes = _enrol(user)
    _login(client, "pref")
    assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0].lower()}).status_code == 302
    assert _signed_in(client)
    client.logout()
    _login(client, "pref")
    assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 400
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 9


def test_a_stale_half_sign_in_starts_over(client, make_user):
    user = make_user("manager", username="mgr")
    secret, _codes = _enrol(user)
    _login(client, "mgr")
    session = client.session
    session[mfa.PENDING_KEY]["at"] = int(time.time()) - mfa.PENDING_MAX_AGE - 1
    session.save()
    response = client.post(reverse("accounts:mfa_verify"), {"code": pyotp.TOTP(secret).now()})
    assert response.url == reverse("accounts:login")
    assert not _signed_in(client)


def test_next_is_kept_through_the_second_step(client, make_user):
    user = make_user("manager", username="mgr")
    secret, _codes = _enrol(user)
    client.post(
        reverse("accounts:login") + "?next=/accounts/me/",
        {"username": "mgr", "password": PASSWORD, "next": "/accounts/me/"},
    )
    response = client.post(reverse("accounts:mfa_verify"), {"code": pyotp.TOTP(secret).now()})
    assert response.url == "/accounts/me/"


def test_api_tokens_need_no_second_factor(client, make_user):
    from kakehashi.accounts.services import token_issue

    user = make_user("prefecture")
    _enrol(user)
    _token, raw = token_issue(actor=user, user=user, name="集計")
    response = client.get("/api/v1/municipalities", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_account_page_offers_setup_and_shows_status(client, make_user):
    user = make_user("communicator")
    client.force_login(user)
    assert "二要素認証を設定する" in client.get(reverse("accounts:detail")).content.decode()
    _enrol(user)
    body = client.get(reverse("accounts:detail")).content.decode()
    assert "設定済み" in body
    assert "未使用のリカバリーコード：10 件" in body


def test_admin_login_goes_through_the_kakehashi_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
