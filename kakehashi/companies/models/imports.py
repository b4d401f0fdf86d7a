"""Import batches: one uploaded file, its progress and its outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from ..choices import ImportKind, ImportStatus


class ImportBatch(TimeStampedModel):
    """One import of one file: designated list, company list or corporate-number data."""

    kind = models.CharField(_("種類"), max_length=30, choices=ImportKind.choices)
    status = models.CharField(_("状態"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    file = models.FileField(_("ファイル"), upload_to="imports/%Y/%m/", blank=True)
    original_filename = models.CharField(_("元のファイル名"), max_length=255)
    programme = models.ForeignKey(
        "outreach.Programme",
        verbose_name=_("事業"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    mark_designated = models.BooleanField(_("指定訪問先として登録"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    encoding = models.CharField(_("文字コード"), max_length=20, blank=True)
    mapping = models.JSONField(_("列の対応"), default=dict, blank=True)
    options = models.JSONField(_("オプション"), default=dict, blank=True)
    progress_done = models.PositiveBigIntegerField(_("処理済み行数"), default=0)
    progress_total = models.PositiveBigIntegerField(_("全行数"), null=True, blank=True)
    summary = models.JSONField(_("集計"), default=dict, blank=True)
    error = models.TextField(_("エラー"), blank=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("取込")
        verbose_name_plural = _("取込")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_filename}"

    @property
    def progress_percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, int(self.progress_done * 100 / self.progress_total))
