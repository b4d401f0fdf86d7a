"""Writes of the corporate-number import: create a batch from an upload, and run a batch.

The import of a whole file is recorded as ONE change-log entry on its `ImportBatch` (who, when,
which file, what it did in counts); companies closed by 99 削除 get an entry each. A per-row log
for millions of rows would drown the log and triple the import time; see
docs/decisions/003-bulk-import-audit.md.
"""

import logging
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kakehashi.companies.choices import ImportKind, ImportStatus
from kakehashi.companies.models import ImportBatch
from kakehashi.core.changelog import log_change
from kakehashi.core.choices import ChangeAction

from . import rules as _rules  # noqa: F401 - registers the permission
from .importer import CorporateNumberImporter, ImportSummary, NtaStrictError
from .reader import NtaFileError, Rejection

logger = logging.getLogger(__name__)

# Rejected rows kept on the batch for its page; the count is always exact, the command prints all.
REJECTION_DETAIL_LIMIT = 10_000
_LOGGED_COUNTS = (
    "rows", "inserted", "updated", "unchanged", "closed", "reopened", "merged", "deleted", "duplicates", "stale",
    "skipped_hidden", "skipped_prefecture", "skipped_deleted_unknown", "blank", "rejected",
)  # fmt: skip


@transaction.atomic
def corporate_number_import_create(
    *, actor, file, prefecture: str | None = None, strict: bool = False, start: bool = True
) -> ImportBatch:
    """Store an uploaded 全件/差分 file as an import batch and, after commit, queue its import."""
    batch = ImportBatch(
        kind=ImportKind.CORPORATE_NUMBER,
        status=ImportStatus.UPLOADED,
        original_filename=Path(file.name).name[:255],
        created_by=actor if getattr(actor, "pk", None) else None,
        options={"prefecture": prefecture or None, "strict": bool(strict)},
    )
    batch.file = file
    batch.full_clean()
    batch.save()
    if start:
        from kakehashi.companies.tasks import import_corporate_numbers_task

        transaction.on_commit(lambda: import_corporate_numbers_task.enqueue(batch.pk))
    return batch


def corporate_number_import_run(
    *,
    actor,
    batch: ImportBatch,
    path: Path | str | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    chunk_size: int | None = None,
    parallel: bool | None = None,
    reindex: bool = True,
) -> ImportSummary | None:
    """Import the batch's file (or `path`): progress on the batch, the outcome in `summary`, one
    change-log entry. Returns the summary, or None when the file could not be imported at all
    (the reason is on `batch.error`). Unexpected errors mark the batch failed and are re-raised."""
    options = batch.options or {}
    source = Path(path) if path is not None else Path(batch.file.path)
    rejections: list[dict] = []

    def keep_rejection(rejection: Rejection) -> None:
        if len(rejections) < REJECTION_DETAIL_LIMIT:
            rejections.append(rejection.as_dict())
        if on_reject is not None:
            on_reject(rejection)

    def progress(done: int, total: int | None) -> None:
        # Between chunks (autocommit): visible to the batch page at once.
        ImportBatch.objects.filter(pk=batch.pk).update(progress_done=done, progress_total=total)
        if on_progress is not None:
            on_progress(done, total)

    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now()
    batch.progress_done = 0
    batch.error = ""
    batch.save(update_fields=["status", "started_at", "progress_done", "error", "updated_at"])
    importer = CorporateNumberImporter(
        source,
        prefecture=options.get("prefecture"),
        strict=bool(options.get("strict")),
        actor=actor,
        on_reject=keep_rejection,
        progress=progress,
        reindex=reindex,
        parallel=parallel,
        **({"chunk_size": chunk_size} if chunk_size else {}),
    )
    summary: ImportSummary | None = None
    try:
        summary = importer.run()
    except NtaStrictError as error:
        _finish(batch, actor, ImportStatus.FAILED, error.summary, rejections, str(error))
        return None
    except NtaFileError as error:
        _finish(batch, actor, ImportStatus.FAILED, importer.summary, rejections, str(error))
        return None
    except Exception as error:
        logger.exception("corporate-number import %s failed", batch.pk)
        _finish(
            batch, actor, ImportStatus.FAILED, importer.summary, rejections,
            f"取込中にエラーが発生しました（{type(error).__name__}）。途中までの反映は残ります。"
            "同じファイルをもう一度取り込むと、続きから正しく反映されます。",
        )  # fmt: skip
        raise
    _finish(batch, actor, ImportStatus.DONE, summary, rejections, "")
    return summary


def _finish(batch: ImportBatch, actor, status: str, summary: ImportSummary, rejections: list[dict], error: str) -> None:
    data = summary.as_dict()
    data["rejections"] = rejections
    data["rejections_truncated"] = summary.rejected > len(rejections)
    batch.refresh_from_db(fields=["progress_done", "progress_total"])
    batch.status = status
    batch.error = error
    batch.summary = data
    batch.encoding = summary.encoding
    batch.finished_at = timezone.now()
    if status == ImportStatus.DONE and batch.progress_total:
        batch.progress_done = batch.progress_total
    batch.save()
    counts = {key: data[key] for key in _LOGGED_COUNTS}
    note = (
        f"法人番号データ取込（{batch.original_filename}）: 追加{summary.inserted:,}件・更新{summary.updated:,}件・"
        f"閉鎖{summary.closed:,}件・不正{summary.rejected:,}行"
    )
    if error:
        note = f"法人番号データ取込（{batch.original_filename}）失敗: {error}"
    log_change(
        actor=actor,
        instance=batch,
        action=ChangeAction.IMPORT,
        before={"status": ImportStatus.RUNNING.value},
        after={"status": status, **counts},
        note=note,
    )
