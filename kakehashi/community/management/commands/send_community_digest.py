"""Mail the daily community digest: one mail per member who chose it, with the notifications not yet mailed.

Run once a day (cron / systemd timer), e.g. `manage.py send_community_digest` at 07:00.
"""

from django.core.management.base import BaseCommand

from kakehashi.community.services import digest_send


class Command(BaseCommand):
    help = "コミュニティの日次まとめメールを送ります。"

    def handle(self, *args, **options):
        sent = digest_send()
        self.stdout.write(f"digest mails sent: {sent}")
