"""Import a designated-company list or another company list (CSV or XLSX) from the command line.

    python manage.py import_companies PATH [--programme CODE --designated] [--map 列=項目 …]
        [--source NAME] [--sheet NAME] [--dry-run] [--accept-best] [--report json] [--user USERNAME]

The same services as the upload screen: read → preview → commit in one transaction. Ambiguous rows
(several plausible registry companies) are NOT imported unless `--accept-best` is given, which takes
the highest-scoring candidate for each. `--dry-run` classifies and reports but keeps nothing.
`--report json` prints `{"summary": {…}, "rows": [{"row", "outcome", "company", "reason"}]}`.
The exit code is non-zero when the file cannot be read at all (or an option is wrong).
"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kakehashi.companies.listimport.commit import batch_result_rows, import_batch_commit
from kakehashi.companies.listimport.headers import FIELDS, IGNORE
from kakehashi.companies.listimport.mapping import MappingError, parse_map_options
from kakehashi.companies.listimport.preview import import_batch_create, import_preview_run
from kakehashi.companies.listimport.reader import ImportFileError
from kakehashi.outreach.models import Programme


class DryRunDone(Exception):
    """Raised to roll back a dry run after its report was built."""


class Command(BaseCommand):
    help = "指定訪問先リストや企業リスト（CSV / XLSX）を企業台帳に取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV（UTF-8 / Shift_JIS）または XLSX のファイル")
        parser.add_argument("--programme", help="事業のコード（--designated のとき必須）")
        parser.add_argument("--designated", action="store_true", help="取り込んだ企業を指定訪問先にする")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"列の対応（列見出しまたは列番号=項目）。項目: {', '.join([*FIELDS, IGNORE])}",
        )
        parser.add_argument("--source", default="", help="取込元の名前（列の対応をこの名前で覚えます）")
        parser.add_argument("--sheet", default="", help="XLSX のシート名（省略時は最初のシート）")
        parser.add_argument("--dry-run", action="store_true", help="判定だけして何も保存しない")
        parser.add_argument(
            "--accept-best", action="store_true", help="候補が複数ある行は最も得点の高い既存企業に一致させる"
        )
        parser.add_argument("--report", choices=["text", "json"], default="text")
        parser.add_argument("--user", help="変更履歴に記録する実行者のユーザー名")

    def handle(self, *args, **options):
        actor = self._actor(options.get("user"))
        programme = self._programme(options.get("programme"), options["designated"])
        try:
            overrides = parse_map_options(options["map"])
        except MappingError as error:
            raise CommandError(str(error)) from error
        report = None
        try:
            with transaction.atomic():
                batch = import_batch_create(
                    actor=actor,
                    filename=options["path"],
                    programme=programme,
                    mark_designated=options["designated"],
                    source_name=options["source"],
                    sheet=options["sheet"],
                    overrides=overrides,
                )
                import_preview_run(batch=batch, path=options["path"])
                if not options["dry_run"]:
                    batch = import_batch_commit(
                        actor=actor, batch=batch, accept_best=options["accept_best"], skip_ambiguous=True
                    )
                report = {"summary": batch.summary, "rows": batch_result_rows(batch)}
                if options["dry_run"]:
                    raise DryRunDone
        except DryRunDone:
            pass
        except (ImportFileError, MappingError) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self._print(report, options)

    def _actor(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」がいません。")
        return user

    def _programme(self, code: str | None, designated: bool):
        if designated and not code:
            raise CommandError("--designated には --programme CODE が必要です。")
        if not code:
            return None
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            raise CommandError(f"事業「{code}」がありません。")
        return programme

    def _print(self, report: dict, options: dict) -> None:
        if options["report"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        summary = report["summary"]
        prefix = "[dry-run] " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{summary.get('rows', 0)} 行: 一致 {summary.get('matched', 0)}、新規 {summary.get('new', 0)}、"
            f"要確認 {summary.get('ambiguous', 0)}、取込不可 {summary.get('rejected', 0)}"
            f"（空行 {summary.get('blank', 0)}、ファイル内の重複 {summary.get('duplicates', 0)}）"
        )
        if not options["dry_run"]:
            self.stdout.write(
                f"新規登録 {summary.get('created', 0)}、空欄を補った {summary.get('updated', 0)}、"
                f"変更なし {summary.get('unchanged', 0)}、取り込まなかった {summary.get('skipped', 0)}、"
                f"指定訪問先の追加 {summary.get('designated', 0)}"
            )
        for row in report["rows"]:
            if row["outcome"] in ("rejected", "ambiguous"):
                self.stdout.write(f"  {row['row']} 行目 [{row['outcome']}] {row['reason']}")
