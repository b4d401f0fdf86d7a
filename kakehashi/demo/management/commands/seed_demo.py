from django.core.management import call_command
from django.core.management.base import BaseCommand

from kakehashi.demo.seed import seed_demo
from kakehashi.reference.models import Municipality


class Command(BaseCommand):
    help = "Load the fictional Yamagata demo (idempotent: a second run adds nothing)."

    def handle(self, *args, **options):
        if not Municipality.objects.filter(prefecture__code="06").exists():
            call_command("load_reference", stdout=self.stdout)
        results = seed_demo()
        self.stdout.write(
            "デモデータ: 事業 {programme} / 追加した企業 {companies_created} 社 / 指定訪問先 {designated} 社".format(
                **results
            )
        )
