"""Fixed choices of the periodic reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel（XLSX）")
    PDF = "pdf", _("PDF")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("作成待ち")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月次")
    QUARTER = "quarter", _("四半期")
    FISCAL_YEAR = "fiscal_year", _("年度")


CONTENT_TYPES = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}
