"""Test settings that must apply before Django starts."""

import os

os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("KAKEHASHI_PLAIN_STATIC", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import pytest  # noqa: E402


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
