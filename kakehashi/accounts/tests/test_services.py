import pytest
from django.core.management import call_command

from kakehashi.accounts.models import ApiToken
from kakehashi.accounts.services import token_authenticate, token_digest, token_issue, token_revoke, user_create
from kakehashi.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def test_user_create_holds_several_roles_and_is_logged():
    user = user_create(actor=None, username="multi", password="a-long-password-1", roles=["manager", "communicator"])
    assert user.has_role("manager")
    assert user.has_role("communicator")
    assert not user.has_role("prefecture")
    entry = ChangeLogEntry.objects.filter(object_id=str(user.pk), action="create").get()
    assert entry.changes["roles"] == [None, ["communicator", "manager"]]
    assert "password" not in entry.changes


def test_token_is_stored_hashed_and_authenticates():
    user = user_create(actor=None, username="api", password="a-long-password-1")
    token, raw = token_issue(actor=user, user=user, name="script")
    assert raw.startswith("khs_")
    assert token.digest == token_digest(raw)
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert raw not in str(ChangeLogEntry.objects.values_list("changes", flat=True)[::1])
    assert token_authenticate(raw) == user
    assert token_authenticate(raw + "x") is None
    assert token_authenticate("") is None


def test_revoked_token_and_inactive_user_do_not_authenticate():
    user = user_create(actor=None, username="api", password="a-long-password-1")
    token, raw = token_issue(actor=user, user=user, name="script")
    token_revoke(actor=user, token=token)
    assert token_authenticate(raw) is None
    _token2, raw2 = token_issue(actor=user, user=user, name="again")
    user.is_active = False
    user.save()
    assert token_authenticate(raw2) is None


def test_issue_token_command_prints_a_working_token(capsys):
    user = user_create(actor=None, username="cli", password="a-long-password-1")
    call_command("issue_token", "cli", "--name", "nightly")
    raw = capsys.readouterr().out.strip()
    assert token_authenticate(raw) == user
