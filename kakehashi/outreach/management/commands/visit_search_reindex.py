"""Rebuild the visit search text and index (after bulk inserts that bypassed the services)."""

from django.core.management.base import BaseCommand

from kakehashi.outreach.search import visit_search_reindex


class Command(BaseCommand):
    help = "訪問報告の全文検索用テキストと索引を作り直します（一括投入の後に実行）。"

    def handle(self, *args, **options):
        count = visit_search_reindex()
        self.stdout.write(self.style.SUCCESS(f"{count} 件の訪問報告を索引しました。"))
