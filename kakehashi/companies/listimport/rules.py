"""Who may import lists into the registry: the prefecture office, programme managers and superusers."""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser

can_import_company_lists = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER)

if not rules.perm_exists("companies.import_company_list"):
    rules.add_perm("companies.import_company_list", can_import_company_lists)
