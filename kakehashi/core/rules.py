import rules

from kakehashi.accounts.rules import is_manager, is_prefecture, is_superuser

rules.add_perm("core.view_changelog", is_superuser | is_prefecture | is_manager)
