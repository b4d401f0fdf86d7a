"""Who may read the progress figures of a programme.

The dashboard is for the office and the field: prefecture staff, the programme manager and the
communicators who are members of the programme (read only). Coordinators, partner staff, company
and IT-company members do not see programme-wide progress.
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_programme_staff, is_superuser
from kakehashi.outreach.rules import has_programme_role

PROGRESS_ROLES = (Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)

# Holds a role that reads progress somewhere (used when no programme is chosen yet).
has_progress_role = has_role(*PROGRESS_ROLES)
# Reads the progress of this programme: a member in one of the progress roles.
can_view_progress = is_superuser | has_programme_role(*PROGRESS_ROLES)

rules.add_perm("insights.view_dashboard", is_superuser | has_progress_role)
rules.add_perm("insights.view_progress", can_view_progress)
# The benchmark's baseline page: any programme staff member.
rules.add_perm("insights.view_bench_page", is_programme_staff)
