"""Designated-list and company-list imports: the rows of one batch and remembered column mappings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from ..listimport.choices import ImportRowApplied, ImportRowDecision, ImportRowOutcome


class ImportRow(models.Model):
    """One non-blank row of an imported list, its cleaned values and how it was classified."""

    batch = models.ForeignKey(
        "companies.ImportBatch", verbose_name=_("取込"), on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField(_("行番号"))
    raw = models.JSONField(_("元の値"), default=dict, blank=True, help_text=_("列見出しごとの元の値"))
    values = models.JSONField(_("読み取った値"), default=dict, blank=True, help_text=_("項目ごとの整えた値"))
    outcome = models.CharField(_("判定"), max_length=20, choices=ImportRowOutcome.choices)
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業等"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_rows",
    )
    reasons = models.JSONField(_("一致の根拠"), default=list, blank=True)
    candidates = models.JSONField(_("候補"), default=list, blank=True)
    errors = models.JSONField(_("取込できない理由"), default=list, blank=True)
    warnings = models.JSONField(_("注意"), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重複元の行"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    fingerprint = models.CharField(
        _("行の指紋"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("名称・法人番号・所在地から作る値。同じ行を再び取り込んだときに前回の結果を使う"),
    )
    decision = models.CharField(
        _("選択"), max_length=10, choices=ImportRowDecision.choices, default=ImportRowDecision.NONE, blank=True
    )
    applied = models.CharField(
        _("取込結果"), max_length=10, choices=ImportRowApplied.choices, default=ImportRowApplied.NONE, blank=True
    )

    class Meta:
        verbose_name = _("取込行")
        verbose_name_plural = _("取込行")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="importrow_unique_row_in_batch"),
            models.CheckConstraint(
                condition=~models.Q(decision="company") | models.Q(company__isnull=False),
                name="importrow_chosen_company_present",
            ),
        ]
        indexes = [models.Index(fields=["batch", "outcome"], name="importrow_batch_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.values.get('name', '')}"

    @property
    def needs_decision(self) -> bool:
        return self.outcome == ImportRowOutcome.AMBIGUOUS and not self.decision


class ColumnMapping(TimeStampedModel):
    """How the columns of one source's files map to fields, remembered so the user maps them once.

    `source_name` is the name the user gives the source (e.g. 「県指定リスト」), or by default the
    header signature of the file. `mapping` maps normalised header text to a field key or "ignore".
    """

    source_name = models.CharField(_("取込元の名前"), max_length=100, unique=True)
    header_signature = models.CharField(_("見出しの指紋"), max_length=40, blank=True, db_index=True)
    mapping = models.JSONField(_("列の対応"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="column_mappings",
    )

    class Meta:
        verbose_name = _("列の対応")
        verbose_name_plural = _("列の対応")
        ordering = ["source_name"]

    def __str__(self) -> str:
        return self.source_name
