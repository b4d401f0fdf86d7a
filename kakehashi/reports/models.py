"""Stored periodic reports: one file (XLSX or PDF) for one programme and one period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import PeriodKind, ReportFormat, ReportStatus


def report_upload_to(report: "Report", filename: str) -> str:
    # Outside any public URL: files are served only by the permission-checked download view.
    return f"reports/{report.programme_id}/{filename}"


class Report(TimeStampedModel):
    """A periodic report (定期報告) of a programme for a month, fiscal quarter or fiscal year.

    Built in the background (`tasks.build_report_task`); progress and errors are kept on the row so
    the list page can show them. The figures at the time of building are frozen in the file; the
    `headline` keeps the main ones for the list.
    """

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="reports"
    )
    period_key = models.CharField(
        _("期間"), max_length=10, help_text=_("2026-10（月）、2026-Q3（四半期）、2026（年度）")
    )
    period_kind = models.CharField(_("期間の種類"), max_length=20, choices=PeriodKind.choices)
    period_start = models.DateField(_("期間の開始日"))
    period_end = models.DateField(_("期間の終了日"))
    format = models.CharField(_("形式"), max_length=10, choices=ReportFormat.choices)
    status = models.CharField(_("状態"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    file = models.FileField(_("ファイル"), upload_to=report_upload_to, blank=True)
    file_size = models.PositiveBigIntegerField(_("ファイルサイズ（バイト）"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    progress_done = models.PositiveSmallIntegerField(_("完了した手順"), default=0)
    progress_total = models.PositiveSmallIntegerField(_("手順の数"), default=0)
    progress_step = models.CharField(_("実行中の手順"), max_length=100, blank=True)
    headline = models.JSONField(_("主な数値"), default=dict, blank=True)
    error = models.TextField(_("エラー"), blank=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期報告")
        verbose_name_plural = _("定期報告")
        ordering = ["-period_end", "-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "-period_end"], name="report_programme_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")), name="report_progress_within_total"
            ),
            models.CheckConstraint(condition=models.Q(format__in=ReportFormat.values), name="report_format_known"),
            models.CheckConstraint(condition=models.Q(status__in=ReportStatus.values), name="report_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.period_key} ({self.get_format_display()})"

    @property
    def period(self):
        from .periods import parse_period

        return parse_period(self.period_key)

    @property
    def running(self) -> bool:
        return self.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def filename(self) -> str:
        """The download name: kakehashi-report-<programme>-<period>.<ext>."""
        return f"kakehashi-report-{self.programme.code}-{self.period_key}.{self.format}"
