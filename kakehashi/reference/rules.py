"""Who may see and edit the reference data.

Everyone with a staff role (or a superuser) may view the code lists, places and industries;
the prefecture office, programme managers and superusers may edit code lists and regions.
"""

import rules

from kakehashi.accounts.rules import is_manager, is_prefecture, is_programme_staff, is_superuser

can_view_reference = is_superuser | is_programme_staff
can_change_reference = is_superuser | is_prefecture | is_manager

rules.add_perm("reference.view_codes", can_view_reference)
rules.add_perm("reference.change_codes", can_change_reference)
