"""Writes of the periodic reports: request, build (in the background), regenerate, delete, download."""

import datetime
import hashlib
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction
from kakehashi.outreach.models import Programme

from .choices import ReportFormat, ReportStatus
from .figures import report_figures
from .models import Report
from .periods import Period, PeriodError, parse_period

logger = logging.getLogger(__name__)

# The steps a build reports as progress: five groups of figures, the file, storing it.
FIGURE_STEPS = 5
BUILD_STEPS = FIGURE_STEPS + 2


def render_report(
    *,
    programme: Programme,
    period: Period,
    fmt: str,
    today: datetime.date | None = None,
    on_step: Callable[[str], None] | None = None,
) -> tuple[bytes, dict]:
    """The report file's bytes and the figures it was built from (for the command and `report_build`)."""
    from .render_pdf import render_pdf
    from .render_xlsx import render_xlsx

    figures = report_figures(programme, period, today=today, on_step=on_step)
    if on_step:
        on_step(_("ファイルの作成"))
    content = render_xlsx(figures) if fmt == ReportFormat.XLSX else render_pdf(figures)
    return content, figures


def _period(value: Period | str) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return parse_period(value)
    except PeriodError as error:
        raise ValidationError({"period_key": str(error)}) from error


def report_request(*, actor, programme: Programme, period: Period | str, fmt: str, start: bool = True) -> Report:
    """Queue a report of `programme` for `period` in `fmt`; it is built after the transaction commits."""
    period = _period(period)
    if period.end < programme.start_date or period.start > programme.end_date:
        raise ValidationError(
            {"period_key": _("期間が事業期間（%(range)s）と重なっていません。") % {"range": _range(programme)}}
        )
    report = Report(
        programme=programme,
        period_key=period.key,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        format=fmt,
        status=ReportStatus.QUEUED,
        created_by=actor if getattr(actor, "pk", None) else None,
        progress_total=BUILD_STEPS,
    )
    with transaction.atomic():
        report.full_clean()
        report.save()
        log_change(actor=actor, instance=report, action=ChangeAction.CREATE, after=snapshot(report))
        if start:
            _enqueue(report)
    return report


def _enqueue(report: Report) -> None:
    from .tasks import build_report_task

    transaction.on_commit(lambda: build_report_task.enqueue(report.pk))


def report_build(*, actor, report: Report, today: datetime.date | None = None) -> Report:
    """Build the report's file now: progress on the row, the file stored, one change-log entry.

    Failures mark the report failed with a message for the list page (no personal data in it) and
    are logged with the traceback; they are not re-raised, so a background worker carries on.
    """
    before = snapshot(report)
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        progress_done=0,
        progress_total=BUILD_STEPS,
        progress_step="",
        error="",
    )
    done = 0

    def on_step(name: str) -> None:
        # Autocommit between steps: the list page's polling sees each step at once.
        nonlocal done
        Report.objects.filter(pk=report.pk).update(progress_done=min(done, BUILD_STEPS), progress_step=str(name)[:100])
        done += 1

    try:
        content, figures = render_report(
            programme=report.programme, period=report.period, fmt=report.format, today=today, on_step=on_step
        )
    except Exception as error:
        logger.exception("report %s failed", report.pk)
        report.refresh_from_db()
        report.status = ReportStatus.FAILED
        report.error = _("報告を作成できませんでした（%(kind)s）。もう一度作成するか、管理者に連絡してください。") % {
            "kind": type(error).__name__
        }
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at", "updated_at"])
        log_change(
            actor=actor,
            instance=report,
            action=ChangeAction.STATUS,
            before=before,
            after=snapshot(report),
            note="build failed",
        )
        return report

    on_step(_("保存"))
    with transaction.atomic():
        report.refresh_from_db()
        old_name = report.file.name if report.file else ""
        report.file.save(report.filename, ContentFile(content), save=False)
        report.file_size = len(content)
        report.sha256 = hashlib.sha256(content).hexdigest()
        report.status = ReportStatus.DONE
        report.progress_done = BUILD_STEPS
        report.progress_total = BUILD_STEPS
        report.progress_step = ""
        report.finished_at = timezone.now()
        report.headline = _headline(figures)
        report.full_clean()
        report.save()
        log_change(actor=actor, instance=report, action=ChangeAction.STATUS, before=before, after=snapshot(report))
        if old_name and old_name != report.file.name:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return report


def _headline(figures: dict) -> dict:
    summary = figures["summary"]
    return {
        "companies": summary["companies"],
        "visits": summary["visits"],
        "cumulative_companies": summary["cumulative_companies"],
        "target": summary["target"],
        "progress_percent": summary["progress_percent"],
        "as_of": figures["as_of"].isoformat(),
    }


def report_regenerate(*, actor, report: Report, start: bool = True) -> Report:
    """Build the report again with today's data (the old file stays until the new one is stored)."""
    if report.running:
        raise ValidationError(_("作成中の報告はやり直せません。完了するまでお待ちください。"))
    before = snapshot(report)
    with transaction.atomic():
        report.status = ReportStatus.QUEUED
        report.progress_done = 0
        report.progress_total = BUILD_STEPS
        report.progress_step = ""
        report.error = ""
        report.created_by = actor if getattr(actor, "pk", None) else report.created_by
        report.full_clean()
        report.save()
        log_change(
            actor=actor,
            instance=report,
            action=ChangeAction.UPDATE,
            before=before,
            after=snapshot(report),
            note="regenerate",
        )
        if start:
            _enqueue(report)
    return report


def report_delete(*, actor, report: Report) -> None:
    """Delete the report and its file."""
    before = snapshot(report)
    name = report.file.name if report.file else ""
    storage = report.file.storage
    with transaction.atomic():
        log_change(actor=actor, instance=report, action=ChangeAction.DELETE, before=before, after={})
        report.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def report_download_record(*, actor, report: Report) -> None:
    """Write the download to the access log (privacy app). Reports hold no contact details, so this
    records who took which report, as the prefecture's data, not a PII export."""
    try:
        from kakehashi.privacy.services import access_record
    except ImportError:  # the privacy app is not installed yet
        return
    access_record(
        actor=actor,
        action="report_download",
        target=report,
        detail={"period": report.period_key, "format": report.format, "sha256": report.sha256},
    )


def _range(programme: Programme) -> str:
    return f"{programme.start_date:%Y/%m/%d}〜{programme.end_date:%Y/%m/%d}"
