"""Writes of the handover app: start an export job and run it (the task calls `bundle_export_run`)."""

import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .bundle import BundleError, write_bundle
from .choices import ExportStatus
from .models import BundleExport

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5000


def export_dir() -> Path:
    path = Path(settings.KAKEHASHI_HANDOVER_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(job: BundleExport) -> Path:
    return export_dir() / job.file_name


@transaction.atomic
def bundle_export_start(*, actor, reason: str) -> BundleExport:
    """Queue an export of all data; recorded in the access log with its reason (it holds personal data)."""
    from kakehashi.privacy.choices import AccessAction
    from kakehashi.privacy.services import access_record

    from .tasks import bundle_export_task

    if BundleExport.objects.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).exists():
        raise ValidationError(_("書き出し中の引継ぎデータがあります。終わってからもう一度始めてください。"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    job = BundleExport(requested_by=actor, reason=reason.strip(), file_name=f"kakehashi-bundle-{stamp}.zip")
    job.full_clean()
    job.save()
    log_change(actor=actor, instance=job, action=ChangeAction.CREATE, after=snapshot(job, ["reason", "file_name"]))
    access_record(actor=actor, action=AccessAction.BUNDLE_EXPORT, target=job, reason=job.reason)
    transaction.on_commit(lambda: bundle_export_task.enqueue(job.pk))
    return job


def bundle_export_run(*, job: BundleExport) -> BundleExport:
    """Write the archive for `job`, keeping its progress on the row (read by the page while it runs)."""
    BundleExport.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, updated_at=timezone.now())
    last = [0]

    def progress(done: int, total: int) -> None:
        if done - last[0] >= PROGRESS_EVERY or done == total:
            last[0] = done
            BundleExport.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    try:
        summary = write_bundle(export_path(job), progress=progress)
    except (BundleError, OSError) as error:
        logger.exception("handover export %s failed", job.pk)
        BundleExport.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    BundleExport.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        progress_done=summary.rows,
        progress_total=summary.rows,
        size=summary.size,
        sha256=summary.sha256,
        summary={
            "tables": summary.tables,
            "rows": summary.rows,
            "files": summary.files,
            "missing_files": len(summary.missing_files),
        },
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
