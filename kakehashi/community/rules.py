"""Who may do what in the community.

Members (users with a community profile) read and take part; staff of the programme read everything and
moderators (prefecture, programme manager, coordinator) hide posts and ban members. A banned member may still
read but no longer posts, asks for introductions or registers projects.
"""

import rules

from kakehashi.accounts.choices import STAFF_ROLES, Role
from kakehashi.accounts.rules import has_role, is_superuser

MODERATOR_ROLES = (Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR)


def member_of(user):
    """The user's community profile (cached on the user object), or None."""
    if not user or not user.is_authenticated:
        return None
    if "_kh_community_member" not in user.__dict__:
        from .models import Member

        user.__dict__["_kh_community_member"] = Member.objects.select_related("organisation").filter(user=user).first()
    return user.__dict__["_kh_community_member"]


@rules.predicate
def is_community_member(user) -> bool:
    return member_of(user) is not None


@rules.predicate
def is_active_member(user) -> bool:
    member = member_of(user)
    return member is not None and not member.is_banned


is_community_staff = has_role(*STAFF_ROLES) | is_superuser
is_moderator = has_role(*MODERATOR_ROLES) | is_superuser


@rules.predicate
def is_introduction_recipient(user, introduction) -> bool:
    member = member_of(user)
    return introduction is not None and member is not None and introduction.recipient_id == member.pk


@rules.predicate
def is_project_participant(user, project) -> bool:
    member = member_of(user)
    return project is not None and member is not None and project.participants.filter(pk=member.pk).exists()


@rules.predicate
def is_own_profile(user, member) -> bool:
    return member is not None and user.is_authenticated and member.user_id == user.pk


rules.add_perm("community.view", is_community_member | is_community_staff)
rules.add_perm("community.participate", is_active_member)
rules.add_perm("community.answer_introduction", is_active_member & is_introduction_recipient)
rules.add_perm("community.change_project", (is_active_member & is_project_participant) | is_moderator)
rules.add_perm("community.moderate", is_moderator)
rules.add_perm("community.view_kpis", is_community_staff)
