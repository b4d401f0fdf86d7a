import pytest
from django.urls import reverse

from kakehashi.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_login_with_wrong_password_says_so_in_japanese(client, make_user):
    make_user("communicator", username="taro")
    response = client.post(reverse("accounts:login"), {"username": "taro", "password": "wrong"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


def test_login_then_home(client, make_user, programme):
    make_user("communicator", username="taro")
    response = client.post(
        reverse("accounts:login"), {"username": "taro", "password": "pass-for-tests-123"}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert programme.name in body
    assert "DXコミュニケータ" in body


def test_token_created_on_account_page_is_shown_once(client, make_user):
    user = make_user("manager")
    client.force_login(user)
    response = client.post(reverse("accounts:detail"), {"name": "集計用"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert "khs_" in body
    assert token.prefix in body
    again = client.get(reverse("accounts:detail")).content.decode()
    assert "二度と表示されません" not in again


def test_user_can_revoke_own_token(client, make_user):
    from kakehashi.accounts.services import token_issue

    user = make_user("manager")
    token, _raw = token_issue(actor=user, user=user, name="mine")
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_language_switch_to_english(client, make_user):
    client.force_login(make_user("manager"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
