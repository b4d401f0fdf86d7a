"""Shared base models and the one change log every audited write goes to."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction


class TimeStampedModel(models.Model):
    """Adds creation and modification times to a model."""

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class ChangeLogEntry(models.Model):
    """One audited write: who did what to which record, with the values before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_log_entries",
    )
    occurred_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("対象の種類"),
        on_delete=models.PROTECT,
        related_name="change_log_entries",
    )
    object_id = models.CharField(_("対象ID"), max_length=64)
    object_repr = models.CharField(_("対象"), max_length=200)
    action = models.CharField(_("操作"), max_length=20, choices=ChangeAction.choices)
    changes = models.JSONField(
        _("変更内容"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("項目名 → [変更前, 変更後]"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("変更履歴")
        verbose_name_plural = _("変更履歴")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="changelog_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
