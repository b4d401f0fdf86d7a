"""`python manage.py load_reference`: prefectures, municipalities, regions, JSIC and code lists.

Idempotent: creates what is missing, fills blank fields, never deletes or overwrites an edit.
`make run` runs it every time; a second run changes nothing and is quick.
"""

import time

from django.core.management.base import BaseCommand

from kakehashi.reference.loaders import load_all


class Command(BaseCommand):
    help = "参照データ（都道府県・市区町村・地域・産業分類・コード表）を読み込みます。既存の編集は上書きしません。"

    def handle(self, *args, **options):
        started = time.monotonic()
        results = load_all()
        elapsed = time.monotonic() - started
        if options["verbosity"] == 0:
            return
        if any(result.changed for result in results):
            for result in results:
                self.stdout.write(str(result))
            self.stdout.write(self.style.SUCCESS(f"参照データを読み込みました（{elapsed:.1f}秒）。"))
        else:
            total = ", ".join(f"{result.label} {result.total}" for result in results)
            self.stdout.write(f"参照データは最新です（{total}; {elapsed:.1f}秒）。")
