import pytest

from kakehashi.core.testing import ACTORS, SIGNED_IN, Case, matrix_params

CASES = [
    Case("accounts:login", set(ACTORS), ok_status={200, 302}),
    Case("accounts:logout", set(ACTORS), method="post", ok_status={302}),
    Case("accounts:password_change", SIGNED_IN),
    Case("accounts:detail", SIGNED_IN),
    # Without a half-finished sign-in the second step sends everyone back to the login page.
    Case("accounts:mfa_verify", set(ACTORS), ok_status={302}),
    Case("accounts:mfa_setup", SIGNED_IN),
    # Not enrolled yet: sent to the setup page.
    Case("accounts:mfa_recovery_codes", SIGNED_IN, method="post", ok_status={302}),
    Case(
        "accounts:token_revoke",
        # Only the owner may revoke: the token in this case belongs to someone else → 404 for all.
        set(),
        method="post",
        setup=lambda ctx: {"token": _foreign_token()},
        kwargs=lambda ctx: {"pk": ctx["token"].pk},
        denied_status=404,
    ),
]


def _foreign_token():
    from kakehashi.accounts.services import token_issue
    from kakehashi.accounts.tests.factories import UserFactory

    owner = UserFactory()
    token, _raw = token_issue(actor=owner, user=owner, name="owner's")
    return token


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_accounts_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
