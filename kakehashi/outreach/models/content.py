"""The content library: material shown at visits, suggested by the challenges heard."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from ..choices import ContentAudience, ContentKind


def content_file_path(instance: "ContentItem", filename: str) -> str:
    return f"content/{instance.programme_id}/{uuid.uuid4().hex}-{filename[-80:]}"


class ContentItem(TimeStampedModel):
    """A leaflet, video, case study or referral guide a communicator can show at a visit.

    The file is served only through a permission-checked view (never from /media); its type is sniffed from the
    content on upload (PDF, PNG, JPEG) by the content services.
    """

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="content_items"
    )
    title = models.CharField(_("タイトル"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    kind = models.CharField(_("種類"), max_length=20, choices=ContentKind.choices)
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("課題カテゴリ"),
        related_name="content_items",
        blank=True,
        limit_choices_to={"list": "challenge"},
    )
    introduction = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("紹介内容コード"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": "introduction"},
        help_text=_("このコンテンツを見せたときに記録される紹介内容"),
    )
    file = models.FileField(_("ファイル"), upload_to=content_file_path, blank=True)
    file_name = models.CharField(_("元のファイル名"), max_length=255, blank=True)
    file_type = models.CharField(_("ファイルの種類"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("ファイルサイズ（バイト）"), null=True, blank=True)
    url = models.URLField(_("リンク"), blank=True)
    audience = models.CharField(_("対象"), max_length=20, choices=ContentAudience.choices, default=ContentAudience.ALL)
    version = models.CharField(_("版"), max_length=20, blank=True)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("コンテンツ")
        verbose_name_plural = _("コンテンツ")
        ordering = ["programme", "kind", "title"]
        indexes = [models.Index(fields=["programme", "active", "kind"], name="content_prog_active_kind_idx")]

    def __str__(self) -> str:
        return self.title
