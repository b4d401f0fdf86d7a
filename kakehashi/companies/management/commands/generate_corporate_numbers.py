"""python manage.py generate_corporate_numbers PATH --rows N [--encoding cp932] [--zip] [--prefecture 06] [--diff]"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kakehashi.companies.nta.generator import generate_file


class Command(BaseCommand):
    help = (
        "法人番号公表サイトと同じ30列の形式で、架空の法人のファイルを作ります（テスト・デモ・ベンチマーク用）。"
        "同じ --seed の全件ファイルと差分ファイル（--diff）は同じ法人を指します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="書き出すファイル（--zip なら .zip）")
        parser.add_argument("--rows", type=int, required=True, help="行数")
        parser.add_argument("--encoding", choices=["utf-8", "cp932"], default="utf-8")
        parser.add_argument("--zip", action="store_true", help="CSV を一つ入れた ZIP にする（公表サイトと同じ）")
        parser.add_argument("--prefecture", help="この都道府県コード（例: 06）の法人だけにする")
        parser.add_argument("--diff", action="store_true", help="差分ファイル（処理区分つきの変更）を作る")
        parser.add_argument("--base-rows", type=int, help="--diff の対象になる全件ファイルの行数（既定: --rows）")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if options["rows"] < 1:
            raise CommandError("--rows は 1 以上にしてください。")
        path = Path(options["path"])
        started = time.perf_counter()
        try:
            written = generate_file(
                path,
                rows=options["rows"],
                seed=options["seed"],
                prefecture=options["prefecture"],
                encoding=options["encoding"],
                zipped=options["zip"],
                diff=options["diff"],
                base_rows=options["base_rows"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path}: {written:,} 行（{time.perf_counter() - started:.1f} 秒）")
