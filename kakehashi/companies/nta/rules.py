"""Who may import the National Tax Agency corporate-number files: the prefecture office, programme
managers and superusers. (The registry's other permissions live in `kakehashi/companies/rules.py`.)"""

import rules

from kakehashi.accounts.choices import Role
from kakehashi.accounts.rules import has_role, is_superuser

IMPORT_PERMISSION = "companies.import_corporate_numbers"

can_import_corporate_numbers = is_superuser | has_role(Role.PREFECTURE, Role.MANAGER)

if not rules.perm_exists(IMPORT_PERMISSION):
    rules.add_perm(IMPORT_PERMISSION, can_import_corporate_numbers)
