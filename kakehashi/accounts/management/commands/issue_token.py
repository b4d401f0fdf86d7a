from django.core.management.base import BaseCommand, CommandError

from kakehashi.accounts.models import User
from kakehashi.accounts.services import token_issue


class Command(BaseCommand):
    help = "Issue a personal API token for USERNAME and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="CLI")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」が見つかりません。")
        _token, raw = token_issue(actor=None, user=user, name=name)
        self.stdout.write(raw)
