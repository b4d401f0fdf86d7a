"""python manage.py import_corporate_numbers PATH [--prefecture 06] [--dry-run] [--strict] [--report out.json]

python manage.py import_corporate_numbers --repair  (rebuild the registry table's indexes after a killed first load)
"""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kakehashi.companies.nta.importer import CorporateNumberImporter, ImportSummary, NtaStrictError
from kakehashi.companies.nta.reader import NtaFileError, Rejection

SUMMARY_LINES = (
    ("rows", "データ行"),
    ("inserted", "追加"),
    ("updated", "更新"),
    ("unchanged", "変更なし"),
    ("closed", "うち閉鎖・合併になった法人"),
    ("merged", "うち合併"),
    ("reopened", "うち再開した法人"),
    ("deleted", "うち削除（閉鎖扱い）"),
    ("duplicates", "重複行（後の行を反映）"),
    ("skipped", "スキップ"),
    ("skipped_hidden", "  検索対象除外（非表示）"),
    ("skipped_prefecture", "  他の都道府県"),
    ("stale", "  登録済みより古いデータ"),
    ("skipped_deleted_unknown", "  未登録の法人の削除"),
    ("blank", "空行"),
    ("rejected", "不正な行（取り込まず）"),
    ("successors_linked", "承継先を関連付け"),
    ("successors_missing", "承継先が未登録"),
    ("municipality_unknown", "市区町村コード不明"),
)


class Command(BaseCommand):
    help = "国税庁 法人番号公表サイトの全件・差分ファイル（CSV/ZIP、UTF-8/Shift_JIS）を企業台帳に取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="CSV または ZIP ファイル")
        parser.add_argument("--prefecture", help="この都道府県コード（例: 06）の行だけを取り込む")
        parser.add_argument("--dry-run", action="store_true", help="取り込まずに件数だけを確かめる（最後に取り消す）")
        parser.add_argument("--strict", action="store_true", help="不正な行が一つでもあれば何も取り込まない")
        parser.add_argument("--report", metavar="FILE.json", help="集計と不正な行の一覧を JSON で書き出す")
        parser.add_argument("--chunk-size", type=int, default=None, help="一度に処理する行数（既定 20000）")
        parser.add_argument("--no-reindex", action="store_true", help="名称索引（照合用）を更新しない")
        parser.add_argument("--no-parallel", action="store_true", help="読込用の子プロセスを使わない")
        parser.add_argument(
            "--repair",
            action="store_true",
            help="中断された初回取込で外したままの企業台帳の索引・外部キーを作り直す（ファイル不要）",
        )

    def handle(self, *args, **options):
        if options["repair"]:
            from django.db import connection

            from kakehashi.companies.nta import bulkload

            restored = bulkload.restore(connection)
            self.stdout.write(
                f"索引・外部キーを{len(restored)}個作り直しました: {', '.join(restored)}"
                if restored
                else "企業台帳の索引・外部キーはすべてそろっています。"
            )
            return
        if not options["path"]:
            raise CommandError("取り込むファイルを指定してください（索引の修復だけなら --repair）。")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"ファイルがありません: {path}")
        prefecture = options["prefecture"]
        if prefecture and not (len(prefecture) == 2 and prefecture.isdigit() and "01" <= prefecture <= "47"):
            raise CommandError("--prefecture は 01〜47 の2桁で指定してください（例: 06）。")
        rejections: list[Rejection] = []
        progress = _Progress(sys.stderr if options["verbosity"] >= 1 else None)
        common = {
            "on_reject": rejections.append,
            "on_progress": progress,
            "chunk_size": options["chunk_size"],
            "parallel": False if options["no_parallel"] else None,
            "reindex": not options["no_reindex"],
        }
        failure = ""
        if options["dry_run"]:
            summary, failure = self._dry_run(path, prefecture, options["strict"], common)
        else:
            summary, failure = self._run(path, prefecture, options["strict"], common)
        progress.done()
        self._print(summary, rejections, dry_run=options["dry_run"])
        if options["report"]:
            self._report(Path(options["report"]), summary, rejections, failure)
        if failure:
            raise CommandError(failure)

    def _run(self, path: Path, prefecture, strict: bool, common: dict) -> tuple[ImportSummary, str]:
        from kakehashi.companies.choices import ImportKind, ImportStatus
        from kakehashi.companies.models import ImportBatch
        from kakehashi.companies.nta.services import corporate_number_import_run

        batch = ImportBatch.objects.create(
            kind=ImportKind.CORPORATE_NUMBER,
            status=ImportStatus.UPLOADED,
            original_filename=path.name[:255],
            options={"prefecture": prefecture or None, "strict": strict, "source": "command"},
        )
        summary = corporate_number_import_run(actor=None, batch=batch, path=path, **common)
        batch.refresh_from_db()
        if summary is None:
            summary = ImportSummary(**_summary_fields(batch.summary))
            return summary, batch.error
        self.stdout.write(f"取込 #{batch.pk} を記録しました。")
        return summary, ""

    def _dry_run(self, path: Path, prefecture, strict: bool, common: dict) -> tuple[ImportSummary, str]:
        on_progress = common.pop("on_progress")
        importer = CorporateNumberImporter(
            path,
            prefecture=prefecture,
            strict=strict,
            dry_run=True,
            progress=on_progress,
            on_reject=common.pop("on_reject"),
            parallel=common["parallel"],
            **({"chunk_size": common["chunk_size"]} if common["chunk_size"] else {}),
        )
        try:
            return importer.run(), ""
        except NtaStrictError as error:
            return error.summary, str(error)
        except NtaFileError as error:
            return importer.summary, str(error)

    def _print(self, summary: ImportSummary, rejections: list[Rejection], *, dry_run: bool) -> None:
        out = self.stdout
        data = summary.as_dict()
        title = "取込の確認（dry-run: 何も変更していません）" if dry_run else "取込の結果"
        out.write(self.style.MIGRATE_HEADING(title))
        out.write(f"  ファイル: {summary.file_name}（{summary.encoding or '—'}）")
        if summary.prefecture:
            out.write(f"  都道府県コード: {summary.prefecture}")
        for key, label in SUMMARY_LINES:
            value = data.get(key, 0)
            if value or key in {"rows", "inserted", "updated", "unchanged", "rejected"}:
                out.write(f"  {label:<24}{value:>12,}")
        if summary.legal_form_unknown:
            kinds = "、".join(f"{kind}: {count:,}" for kind, count in sorted(summary.legal_form_unknown.items()))
            out.write(f"  法人種別がコード表にない行: {kinds}（load_reference で法人格のコードを登録してください）")
        seconds = max(summary.seconds, 1e-9)
        out.write(f"  所要時間: {summary.seconds:.1f} 秒（{summary.rows / seconds:,.0f} 行/秒）")
        if summary.index_seconds:
            out.write(f"  名称索引の更新: {summary.index_seconds:.1f} 秒")
        for warning in summary.warnings:
            out.write(self.style.WARNING(f"  注意: {warning}"))
        if rejections:
            out.write(self.style.ERROR(f"不正な行 {len(rejections):,} 行（取り込んでいません）:"))
            for rejection in rejections:
                value = f"「{rejection.value}」" if rejection.value else ""
                out.write(f"  {rejection.line}行目 {rejection.field_label}: {rejection.reason} {value}".rstrip())

    @staticmethod
    def _report(path: Path, summary: ImportSummary, rejections: list[Rejection], failure: str) -> None:
        document = {
            "summary": summary.as_dict(),
            "error": failure,
            "rejections": [rejection.as_dict() for rejection in rejections],
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def _summary_fields(data: dict) -> dict:
    fields = ImportSummary.__dataclass_fields__
    return {key: value for key, value in (data or {}).items() if key in fields}


class _Progress:
    """A plain progress line on stderr (no tqdm): rewritten in place at most a few times a second."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.last = 0.0
        self.last_done = -1
        self.shown = False

    def __call__(self, done: int, total: int | None) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if (now - self.last < 0.5 and done != total) or done == self.last_done:
            return
        self.last, self.last_done = now, done
        rate = done / max(now - self.started, 1e-9)
        if total:
            text = f"\r処理中 {done:,} / {total:,} 行（{done * 100 // max(total, 1)}%）{rate:,.0f} 行/秒 "
        else:
            text = f"\r処理中 {done:,} 行 "
        self.stream.write(text)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.stream is not None and self.shown:
            self.stream.write("\n")
            self.stream.flush()
