"""Who may see and manage a programme."""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import is_superuser


@rules.predicate
def is_programme_member(user, programme) -> bool:
    if programme is None or not user.is_authenticated:
        return False
    return programme.memberships.filter(user=user).exists()


def has_programme_role(*roles: str):
    @rules.predicate(name="has_programme_role:" + ",".join(roles))
    def predicate(user, programme) -> bool:
        if programme is None or not user.is_authenticated:
            return False
        return programme.memberships.filter(user=user, role__in=roles).exists()

    return predicate


is_programme_owner = has_programme_role(Role.PREFECTURE, Role.MANAGER)

rules.add_perm("outreach.view_programme", is_superuser | is_programme_member)
rules.add_perm("outreach.change_programme", is_superuser | is_programme_owner)
