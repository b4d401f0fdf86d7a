"""Who may do what on the portal's staff screens. The public pages need no permission.

- Articles and the directory are edited by prefecture staff, the programme manager and the foundation's
  coordinators (`portal.manage_content`); the same roles approve profile changes (`portal.manage_directory`).
- An IT company's own members (IT-company role, listed on the profile) propose changes to it.
- Consultation requests are the foundation's leads: coordinators and managers handle them and see the contact
  details; prefecture staff see the inbox without contact details.
- Mail-magazine addresses are seen and exported by those who send the magazine (manager, coordinator).
- Page-view figures are for every programme staff role.
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_programme_staff, is_superuser


@rules.predicate
def is_profile_member(user, it_company) -> bool:
    if it_company is None or not user.is_authenticated:
        return False
    return it_company.members.filter(pk=user.pk).exists()


is_portal_editor = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER, Role.COORDINATOR)
is_consultation_handler = is_superuser | has_role(Role.MANAGER, Role.COORDINATOR)
is_it_company_member = has_role(Role.IT_COMPANY_MEMBER)

rules.add_perm("portal.manage_content", is_portal_editor)
rules.add_perm("portal.manage_directory", is_portal_editor)
rules.add_perm("portal.edit_own_profile", is_it_company_member)
rules.add_perm("portal.propose_profile", is_it_company_member & is_profile_member)
rules.add_perm("portal.view_consultations", is_consultation_handler | has_role(Role.PREFECTURE))
rules.add_perm("portal.view_consultation_contact", is_consultation_handler)
rules.add_perm("portal.change_consultation", is_consultation_handler)
rules.add_perm("portal.manage_subscribers", is_superuser | has_role(Role.MANAGER, Role.COORDINATOR))
rules.add_perm("portal.view_page_views", is_programme_staff)
