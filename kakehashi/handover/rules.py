"""The data belongs to the prefecture: only prefecture staff export everything from the screen.

System administrators use the `export_bundle` command on the server instead (they see no personal data on screen).
"""

import rules

from kakehashi.accounts.rules import is_prefecture

can_export_bundle = is_prefecture

rules.add_perm("handover.export_bundle", can_export_bundle)


def may_export_bundle(user) -> bool:
    """Not `has_perm`: Django lets superusers pass every permission."""
    return bool(user.is_authenticated and can_export_bundle.test(user))
