"""The access log (reads and exports of personal information) and deletion requests (APPI)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import AccessAction, ErasureChannel, ErasureStatus


class AccessLogEntry(models.Model):
    """One read or export of personal information: who, when, what and why. Append-only, never holds PII.

    The target is named by content type, primary key and a label built from the model's name and the key
    (never the person's name); `detail` carries counts and codes only.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log_entries",
    )
    occurred_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    action = models.CharField(_("操作"), max_length=40, choices=AccessAction.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("対象の種類"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log_entries",
    )
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    object_label = models.CharField(_("対象"), max_length=200, blank=True)
    reason = models.CharField(_("利用目的"), max_length=300, blank=True)
    path = models.CharField(_("画面・経路"), max_length=300, blank=True)
    detail = models.JSONField(_("詳細"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("アクセス記録")
        verbose_name_plural = _("アクセス記録")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="accesslog_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="accesslog_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action_label} {self.object_label}"

    @property
    def action_label(self) -> str:
        return str(dict(AccessAction.choices).get(self.action, self.action))


class ErasureRequest(TimeStampedModel):
    """A person's request to erase their personal information (APPI). Registered, reviewed, then executed.

    The request itself names the person only through the record it points at; once executed that record is
    anonymised, so nothing here keeps the erased values. `result` holds counts per eraser.
    """

    contact = models.ForeignKey(
        "companies.Contact",
        verbose_name=_("対象の担当者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    subject_label = models.CharField(
        _("対象"), max_length=200, help_text=_("氏名は記録しません（例：担当者 #12・株式会社〇〇）")
    )
    channel = models.CharField(_("請求の方法"), max_length=20, choices=ErasureChannel.choices)
    received_on = models.DateField(_("受付日"))
    note = models.CharField(
        _("経緯・備考"), max_length=500, blank=True, help_text=_("氏名・連絡先は書かないでください。")
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.REGISTERED, db_index=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="registered_erasure_requests",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_erasure_requests",
    )
    reviewed_at = models.DateTimeField(_("承認・却下日時"), null=True, blank=True)
    review_comment = models.CharField(_("承認・却下のコメント"), max_length=300, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="executed_erasure_requests",
    )
    executed_at = models.DateTimeField(_("削除実行日時"), null=True, blank=True)
    result = models.JSONField(_("削除結果（件数）"), default=dict, blank=True)

    class Meta:
        verbose_name = _("個人情報の削除請求")
        verbose_name_plural = _("個人情報の削除請求")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="executed") | models.Q(executed_at__isnull=False),
                name="erasure_executed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.subject_label}"
