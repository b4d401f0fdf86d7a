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
        self.stdout.write("-" * 60)
        self._mfa_codes(existing)
        self.stdout.write("")

    def _mfa_codes(self, existing) -> None:
        """Prefecture, manager and admin accounts sign in with a second factor (see kakehashi/demo/privacy.py)."""
        import pyotp

        from kakehashi.accounts.models import TOTPDevice

        devices = (
            TOTPDevice.objects.select_related("user").filter(user__username__in=existing).order_by("user__username")
        )
        if not devices:
            return
        self.stdout.write("二要素認証（確認コードは30秒ごとに変わります。認証アプリに登録するならキーを使用）")
        for device in devices:
            code = pyotp.TOTP(device.secret).now()
            self.stdout.write(f"  {device.user.username:<10} 今のコード {code}   キー {device.secret}")
        self.stdout.write("  コードを出し直す: python manage.py demo_logins")
        self.stdout.write("-" * 60)
