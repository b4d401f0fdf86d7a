"""Fixtures shared by every app's tests. Test-only settings key off PYTEST_VERSION in settings."""

import pytest


@pytest.fixture
def programme(db):
    from kakehashi.outreach.tests.factories import ProgrammeFactory

    return ProgrammeFactory(code="yamagata-test")


@pytest.fixture
def other_programme(db):
    from kakehashi.outreach.tests.factories import ProgrammeFactory

    return ProgrammeFactory(code="other-test", name="別の事業")


@pytest.fixture
def make_user(db, programme):
    """make_user("manager") → a user holding that role and a member of `programme` in it.

    "no_role" is a signed-in user with no role; "superuser" a system administrator.
    `member=False` makes the user hold the role without belonging to the programme.
    """
    from kakehashi.accounts.choices import STAFF_ROLES
    from kakehashi.accounts.tests.factories import UserFactory
    from kakehashi.outreach.models import ProgrammeMembership

    def _make(actor: str, *, member: bool = True, **kwargs):
        if actor == "superuser":
            return UserFactory(is_superuser=True, is_staff=True, **kwargs)
        if actor == "no_role":
            return UserFactory(**kwargs)
        user = UserFactory(roles=[actor], **kwargs)
        if member and actor in STAFF_ROLES:
            ProgrammeMembership.objects.create(programme=programme, user=user, role=actor)
        return user

    return _make


@pytest.fixture
def client_for(client, make_user):
    """client_for("communicator") → a test client signed in as a fresh user with that role."""

    def _client(actor: str, **kwargs):
        from django.test import Client

        if actor == "anonymous":
            return Client()
        c = Client()
        c.force_login(make_user(actor, **kwargs))
        return c

    return _client


@pytest.fixture
def run_matrix_case(make_user, programme, other_programme):
    """Run one permission-matrix case as one actor (see kakehashi/core/testing.py)."""
    from kakehashi.core.testing import run_case

    def _run(case, actor):
        run_case(case, actor, make_user=make_user, programme=programme, other_programme=other_programme)

    return _run
