"""Visit reports (訪問報告書): one hearing at one company, with the spec's fields (a)–(g)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from ..choices import VisitStatus


def _codes(list_name: str) -> dict:
    return {"list": list_name}


class Visit(TimeStampedModel):
    """One hearing (訪問・セミナー・オンライン) at one company, recorded by a communicator.

    The company's attributes confirmed on the spot are kept on the visit as they were heard
    (the registry record is updated too), so later edits to the company never change old reports.
    """

    uuid = models.UUIDField(_("識別子"), default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="visits"
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業等"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    status = models.CharField(_("状態"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.DRAFT)
    visit_date = models.DateField(_("訪問日"), null=True, blank=True)
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    visit_format = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("外訪形態"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes("visit_format"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("記録者"), on_delete=models.PROTECT, related_name="recorded_visits"
    )
    communicators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("担当コミュニケータ"), related_name="visits", blank=True
    )
    companions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("同行者"), related_name="accompanied_visits", blank=True
    )
    companions_note = models.CharField(_("同行者（その他）"), max_length=200, blank=True)
    # (a) company attributes as confirmed at the visit
    employees_band = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("従業員規模"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes("employees"),
    )
    business_form = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("業態"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes("business_form"),
    )
    revenue_band = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("売上規模"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes("revenue"),
    )
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    # (c) challenges
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("課題カテゴリ"),
        related_name="visits_by_challenge",
        blank=True,
        limit_choices_to=_codes("challenge"),
    )
    barriers = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("障壁"),
        related_name="visits_by_barrier",
        blank=True,
        limit_choices_to=_codes("barrier"),
    )
    digital_stage = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("デジタル化の段階"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes("digital_stage"),
    )
    # (d) introductions
    introductions = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("紹介内容"),
        related_name="visits_by_introduction",
        blank=True,
        limit_choices_to=_codes("introduction"),
    )
    contents_shown = models.ManyToManyField(
        "outreach.ContentItem", verbose_name=_("紹介したコンテンツ"), related_name="visits", blank=True
    )
    # (e) outcomes
    outcomes = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("勧誘成果"),
        related_name="visits_by_outcome",
        blank=True,
        limit_choices_to=_codes("outcome"),
    )
    interest_level = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("関心度"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes("interest_level"),
    )
    # (f) summary; structured answers live in HearingAnswer
    summary = models.TextField(_("面談概要"), blank=True)
    manual_version = models.ForeignKey(
        "outreach.HearingManualVersion",
        verbose_name=_("ヒアリングマニュアルの版"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    # (g) contact person — personal information, stored as the company's contact
    contact = models.ForeignKey(
        "companies.Contact",
        verbose_name=_("面談相手"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    consent_share_foundation = models.BooleanField(_("機構・コーディネータへの共有に同意"), default=False)
    consent_contractor_use = models.BooleanField(_("受託者による利用に同意（合意した範囲）"), default=False)
    next_action = models.CharField(_("次のアクション"), max_length=300, blank=True)
    follow_up_date = models.DateField(_("フォローアップ日"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_visits",
    )
    review_comment = models.TextField(_("差戻しコメント"), blank=True)
    idempotency_key = models.CharField(_("冪等キー"), max_length=100, null=True, blank=True, unique=True)
    idempotency_hash = models.CharField(
        _("冪等キーの要求ハッシュ"),
        max_length=64,
        blank=True,
        help_text=_("同じ冪等キーで別の内容が送られたことを見分けるための、最初の要求内容の SHA-256"),
    )
    # Kept in step by the visit services (see kakehashi/outreach/search.py and docs/decisions).
    search_text = models.TextField(_("検索用テキスト"), blank=True, default="", editable=False)
    # Inputs of a draft that are not stored in their final place until the visit is submitted
    # (the contact person's details): personal information, emptied on submit, never logged.
    draft_data = models.JSONField(_("下書きの未確定入力"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("訪問報告")
        verbose_name_plural = _("訪問報告")
        ordering = ["-visit_date", "-id"]
        indexes = [
            models.Index(fields=["programme", "status", "visit_date"], name="visit_prog_status_date_idx"),
            models.Index(fields=["programme", "company"], name="visit_prog_company_idx"),
            # The visit list's default order, so a page is read from the index instead of sorted.
            models.Index(fields=["programme", "-visit_date", "-start_time", "-id"], name="visit_prog_list_order_idx"),
            # The programme's newest change: part of the visit list's cache key (outreach/visit_listing.py).
            models.Index(fields=["programme", "updated_at"], name="visit_prog_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (
                    models.Q(company__isnull=False)
                    & models.Q(visit_date__isnull=False)
                    & models.Q(visit_format__isnull=False)
                ),
                name="visit_submitted_has_company_date_format",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gte=models.F("start_time")),
                name="visit_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        company = self.company.name if self.company_id else _("（企業未選択）")
        return f"{self.visit_date or '—'} {company}"


def attachment_path(instance: "VisitAttachment", filename: str) -> str:
    return f"visits/{instance.visit.uuid}/{uuid.uuid4().hex}-{filename[-80:]}"


class VisitAttachment(TimeStampedModel):
    """A photo or PDF attached to a visit report. Served only through a permission-checked view."""

    visit = models.ForeignKey(Visit, verbose_name=_("訪問報告"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("ファイル"), upload_to=attachment_path)
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    content_type = models.CharField(_("種類"), max_length=100)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登録者"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["visit", "created_at"]

    def __str__(self) -> str:
        return self.original_name
