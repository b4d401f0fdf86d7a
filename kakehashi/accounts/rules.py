"""Named permission predicates about users. Other apps combine these with their own."""

import rules

from .choices import Role


def has_role(*roles: str):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(*roles))

    return predicate


is_superuser = rules.predicate(lambda user: bool(user and user.is_superuser), name="is_superuser")
is_prefecture = has_role(Role.PREFECTURE)
is_manager = has_role(Role.MANAGER)
is_communicator = has_role(Role.COMMUNICATOR)
is_coordinator = has_role(Role.COORDINATOR)
is_partner = has_role(Role.PARTNER)
is_programme_staff = rules.predicate(
    lambda user: bool(user and user.is_authenticated and user.is_programme_staff), name="is_programme_staff"
)
is_owner = rules.predicate(lambda user, obj: obj is not None and getattr(obj, "user_id", None) == user.pk)

rules.add_perm("accounts.manage_token", is_owner)
