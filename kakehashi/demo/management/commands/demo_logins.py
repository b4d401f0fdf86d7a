from django.core.management.base import BaseCommand

from kakehashi.accounts.models import User
from kakehashi.demo.users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo accounts and their password (local demo only)."

    def handle(self, *args, **options):
        existing = set(User.objects.values_list("username", flat=True))
        self.stdout.write(f"\nデモ用ログイン（パスワードはすべて {DEMO_PASSWORD}）")
        self.stdout.write("-" * 60)
        for username, display_name, _org, roles in [*DEMO_USERS, ("admin", "システム管理者", "", [])]:
            if username not in existing:
                continue
            role_text = "、".join(str(role.label) for role in roles) or "システム管理者（superuser）"
            self.stdout.write(f"  {username:<10} {role_text:<24} {display_name}")
        self.stdout.write("-" * 60 + "\n")
