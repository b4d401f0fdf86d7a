"""Hearing manuals (ヒアリングマニュアル): versioned questionnaires whose answers never break.

A published version is frozen: its `definition` (sections and questions) is never edited. Editing
the manual publishes a new version. Every answer points at the version it was given in, so old
answers and their statistics read the definition they were collected with.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel


class HearingManual(TimeStampedModel):
    """A questionnaire used at visits; its content lives in versions."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="hearing_manuals"
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    # The working copy of the next version: same shape as a version's `definition`, plus "retired_keys" (keys of
    # questions and sections removed from the draft, never to be reused). Edited through the manual services only.
    draft_definition = models.JSONField(_("次の版の下書き"), default=dict, blank=True)
    draft_updated_at = models.DateTimeField(_("下書きの更新日時"), null=True, blank=True)
    draft_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下書きの更新者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ヒアリングマニュアル")
        verbose_name_plural = _("ヒアリングマニュアル")
        ordering = ["programme", "name"]

    def __str__(self) -> str:
        return self.name


class HearingManualVersion(models.Model):
    """One published, frozen version of a manual, valid from a date.

    Never edited after publishing: the manual services refuse it and, on SQLite and PostgreSQL, a database
    trigger rejects any UPDATE that changes `manual`, `number`, `valid_from` or `definition`
    (migration 0005). Code-list questions carry a snapshot of the list's labels at publishing in `options`.

    `definition` = {"sections": [{"key", "title", "help", "questions": [{"key", "kind", "label",
    "help", "required", "code_list" | "options": [{"value", "label"}], "scale": {"min", "max",
    "min_label", "max_label"}, "show_if": {"question", "in": [...]}}]}]}.
    """

    manual = models.ForeignKey(
        HearingManual, verbose_name=_("マニュアル"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版"))
    valid_from = models.DateField(_("適用開始日"))
    definition = models.JSONField(_("設問定義"))
    change_note = models.CharField(_("改訂内容"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("公開日時"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公開者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("マニュアルの版")
        verbose_name_plural = _("マニュアルの版")
        ordering = ["manual", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["manual", "number"], name="manualversion_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="manualversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.manual} 第{self.number}版"


class HearingAnswer(models.Model):
    """One answer to one question of one manual version, given at one visit."""

    visit = models.ForeignKey(
        "outreach.Visit", verbose_name=_("訪問報告"), on_delete=models.CASCADE, related_name="answers"
    )
    version = models.ForeignKey(
        HearingManualVersion, verbose_name=_("マニュアルの版"), on_delete=models.PROTECT, related_name="answers"
    )
    question_key = models.CharField(_("設問キー"), max_length=50)
    value = models.JSONField(_("回答"), null=True, blank=True)
    text = models.TextField(_("回答（検索用テキスト）"), blank=True)

    class Meta:
        verbose_name = _("ヒアリング回答")
        verbose_name_plural = _("ヒアリング回答")
        ordering = ["visit", "question_key"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "question_key"], name="answer_unique_per_visit_question")
        ]

    def __str__(self) -> str:
        return f"{self.visit} / {self.question_key}"
