"""Who may read and edit the library: the hearing manual and the content library (imported by `rules.py`).

- Read (the manual, its PDF, content items and their files): every staff member of the programme.
- Statistics (answers per version, content usage): those who read the programme's visit reports.
- Edit (the manual's draft, publishing, content items): prefecture staff and the programme manager.
Superusers may do everything. Objects outside the user's programmes answer 404 in the views.
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser

from .rules import has_programme_role

LIBRARY_READERS = (Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR, Role.PARTNER)
LIBRARY_ANALYSTS = (Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)
LIBRARY_EDITORS = (Role.PREFECTURE, Role.MANAGER)

# Per programme (the object is a Programme).
can_view_library = is_superuser | has_programme_role(*LIBRARY_READERS)
can_view_library_stats = is_superuser | has_programme_role(*LIBRARY_ANALYSTS)
can_change_library = is_superuser | has_programme_role(*LIBRARY_EDITORS)

# Screen level (no object): who may open the library screens at all; objects are narrowed by the selectors.
can_use_library = is_superuser | has_role(*LIBRARY_READERS)

rules.add_perm("outreach.use_library", can_use_library)
rules.add_perm("outreach.view_library", can_view_library)
rules.add_perm("outreach.view_library_stats", can_view_library_stats)
rules.add_perm("outreach.change_library", can_change_library)
