"""Who may build, read and delete the periodic reports of a programme.

Reports are for the office: prefecture staff (who receive them) and the programme manager (who
produces them), each for the programmes they are members of. Communicators, coordinators,
partners and company accounts have no access.
"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser
from kakehashi.outreach.rules import has_programme_role

REPORT_ROLES = (Role.PREFECTURE, Role.MANAGER)

# Screen level (no object): holds a report role somewhere.
can_use_reports = is_superuser | has_role(*REPORT_ROLES)
# Per programme: a member in a report role.
can_manage_reports = is_superuser | has_programme_role(*REPORT_ROLES)


@rules.predicate
def _report_programme_member(user, report) -> bool:
    return report is not None and has_programme_role(*REPORT_ROLES).test(user, report.programme)


can_view_report = is_superuser | _report_programme_member

rules.add_perm("reports.use_reports", can_use_reports)
rules.add_perm("reports.manage_reports", can_manage_reports)
rules.add_perm("reports.view_report", can_view_report)
rules.add_perm("reports.delete_report", can_view_report)
