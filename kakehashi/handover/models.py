"""Handover exports started from the screen: one row per job, with its progress and the archive it wrote."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import ExportStatus


class BundleExport(TimeStampedModel):
    """One handover export (all data of the instance in one zip). The archive lives in `HANDOVER_DIR`,
    outside the media root, and is served only through the permission-checked download view."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("依頼者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="bundle_exports",
    )
    reason = models.CharField(_("利用目的"), max_length=300)
    status = models.CharField(_("状態"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress_done = models.PositiveBigIntegerField(_("処理済みの行"), default=0)
    progress_total = models.PositiveBigIntegerField(_("全体の行"), default=0)
    file_name = models.CharField(_("ファイル名"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("サイズ（バイト）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    summary = models.JSONField(_("内訳"), default=dict, blank=True)
    error = models.CharField(_("エラー"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("引継ぎデータの書き出し")
        verbose_name_plural = _("引継ぎデータの書き出し")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")) | models.Q(progress_total=0),
                name="bundleexport_progress_bounded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def is_running(self) -> bool:
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}
