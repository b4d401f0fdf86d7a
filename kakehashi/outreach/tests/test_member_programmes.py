"""`member_programmes`: the header's programmes and the request's programme roles from one plain query."""

import pytest
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.outreach.rules import programme_roles_in
from kakehashi.outreach.selectors import member_programmes, programmes_for
from kakehashi.outreach.services.programmes import membership_add

from .factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_same_programmes_and_order_as_programmes_for_with_each_role_once():
    user = UserFactory()
    older, newer, other = ProgrammeFactory(fiscal_year=2025), ProgrammeFactory(fiscal_year=2026), ProgrammeFactory()
    MembershipFactory(programme=older, user=user, role="communicator")
    MembershipFactory(programme=newer, user=user, role="communicator")
    MembershipFactory(programme=newer, user=user, role="manager")
    MembershipFactory(programme=other)

    programmes = member_programmes(user)

    assert programmes == list(programmes_for(user)) == [newer, older]
    assert programme_roles_in(user, newer.pk) == {"communicator", "manager"}
    assert programme_roles_in(user, older.pk) == {"communicator"}


def test_superusers_see_every_programme_with_their_roles_where_they_have_some():
    admin = UserFactory(is_superuser=True)
    joined, not_joined = ProgrammeFactory(), ProgrammeFactory()
    MembershipFactory(programme=joined, user=admin, role="manager")

    assert set(member_programmes(admin)) == {joined, not_joined} == set(programmes_for(admin))
    assert programme_roles_in(admin, joined.pk) == {"manager"}
    assert programme_roles_in(admin, not_joined.pk) == frozenset()


def test_permission_checks_reuse_the_roles_read_through_the_lazy_request_user(django_assert_num_queries):
    user = UserFactory()
    programme = ProgrammeFactory()
    MembershipFactory(programme=programme, user=user, role="manager")
    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: user)  # as AuthenticationMiddleware sets it

    member_programmes(request.user)

    with django_assert_num_queries(0):
        # rules hand the real user object to the predicates, not the lazy wrapper
        assert user.has_perm("outreach.change_programme", programme)
        assert request.user.has_perm("outreach.view_programme", programme)


def test_a_membership_added_during_the_request_is_seen():
    actor, user = UserFactory(is_superuser=True), UserFactory()
    programme = ProgrammeFactory()
    assert member_programmes(user) == []
    assert programme_roles_in(user, programme.pk) == frozenset()

    membership_add(actor=actor, programme=programme, user=user, role="communicator")

    assert programme_roles_in(user, programme.pk) == {"communicator"}


def test_nobody_signed_in_has_no_programmes():
    from django.contrib.auth.models import AnonymousUser

    assert member_programmes(AnonymousUser()) == []
