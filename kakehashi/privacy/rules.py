"""Who may read the access log and handle deletion requests."""

import rules

from kakehashi.accounts.rules import is_manager, is_prefecture, is_superuser

# The access log holds no personal information; the prefecture audits, system administrators operate.
can_view_access_log = is_prefecture | is_superuser
# Deletion requests name a contact: only the office roles that may see contacts handle them.
can_handle_erasure = is_prefecture | is_manager

rules.add_perm("privacy.view_access_log", can_view_access_log)
rules.add_perm("privacy.handle_erasure", can_handle_erasure)


def may_handle_erasure(user) -> bool:
    """Not `has_perm`: Django passes superusers everywhere, and system administrators see no contacts."""
    return bool(user.is_authenticated and can_handle_erasure.test(user))
