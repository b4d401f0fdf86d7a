"""The public portal: articles, the IT-company directory, consultation requests, the mail magazine, page views.

Everything a visitor sees is written by staff (articles) or approved by staff (directory profiles); the data the
public sends (consultation requests, mail-magazine addresses) is personal information and only reaches the roles
that handle it. See docs/decisions/014-portal.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import ArticleKind, ArticleStatus, ConsultationStatus, RevisionStatus, SubscriberStatus

CHALLENGE_CODES = {"list": "challenge"}


class Tag(models.Model):
    """A free tag on articles (補助金, 製造業, 仙台市 …); tags are shared by all articles."""

    name = models.CharField(_("タグ"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(TimeStampedModel):
    """A news item or article (DX information, subsidies, policy, case studies) written by staff in Markdown.

    `body_html` is the Markdown rendered and sanitised (nh3) when the article is saved by its services; templates
    print only that. `published_at` in the future schedules an article: the public sees it from then on.
    """

    kind = models.CharField(_("種類"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.DX_INFO)
    title = models.CharField(_("タイトル"), max_length=120)
    summary = models.CharField(
        _("概要"), max_length=200, help_text=_("一覧と検索エンジン・SNSの説明に使います（200字まで）。")
    )
    body = models.TextField(_("本文（Markdown）"))
    body_html = models.TextField(_("本文（表示用HTML）"), blank=True, editable=False)
    status = models.CharField(_("状態"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("タグ"), related_name="articles", blank=True)
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("課題カテゴリ"),
        related_name="portal_articles",
        blank=True,
        limit_choices_to=CHALLENGE_CODES,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_articles",
    )
    search_text = models.TextField(_("検索用テキスト"), blank=True, editable=False)

    class Meta:
        verbose_name = _("記事")
        verbose_name_plural = _("記事")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="portal_article_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ArticleStatus.PUBLISHED) | models.Q(published_at__isnull=False),
                name="portal_article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article_detail", kwargs={"pk": self.pk})


def image_path(instance: "ArticleImage", filename: str) -> str:
    return f"portal/images/{instance.pk.hex}"


class ArticleImage(models.Model):
    """An image uploaded for articles. Served by `portal:image` with its sniffed type, never from /media."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("ファイル"), upload_to=image_path)
    content_type = models.CharField(_("ファイルの種類"), max_length=30)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    original_name = models.CharField(_("元のファイル名"), max_length=255, blank=True)
    alt = models.CharField(_("代替テキスト"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_images",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("記事の画像")
        verbose_name_plural = _("記事の画像")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or str(self.pk)

    def get_absolute_url(self) -> str:
        return reverse("portal:image", kwargs={"pk": self.pk})

    @property
    def markdown(self) -> str:
        return f"![{self.alt or self.original_name}]({self.get_absolute_url()})"


class ITCompany(TimeStampedModel):
    """An IT company in the public directory (IT企業ディレクトリ).

    The row holds the *published* profile. The company's own members (users with the IT-company role listed in
    `members`) propose changes as an `ITCompanyRevision`; staff approve it and its values are copied here. The
    public sees only companies with `approved=True`.
    """

    name = models.CharField(_("企業名"), max_length=200)
    name_kana = models.CharField(_("フリガナ"), max_length=200, blank=True)
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業台帳の企業"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="it_company_profiles",
    )
    summary = models.CharField(_("事業内容（ひとこと）"), max_length=120, help_text=_("一覧に表示します。"))
    description = models.TextField(_("事業内容・得意分野"), blank=True)
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("対応できる課題カテゴリ"),
        related_name="portal_it_companies",
        blank=True,
        limit_choices_to=CHALLENGE_CODES,
    )
    industries = models.ManyToManyField(
        "reference.Industry",
        verbose_name=_("取引実績のある業種"),
        related_name="portal_it_companies",
        blank=True,
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_it_companies",
    )
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("所在市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_it_companies",
    )
    employees_band = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("従業員規模"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_it_companies_by_size",
        limit_choices_to={"list": "employees"},
    )
    website = models.URLField(_("ウェブサイト"), blank=True)
    contact_email = models.EmailField(_("問い合わせ先メール（公開）"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("設立年"), null=True, blank=True)
    approved = models.BooleanField(_("公開中"), default=False)
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("掲載内容を管理するメンバー"),
        related_name="maintained_it_companies",
        blank=True,
    )
    search_text = models.TextField(_("検索用テキスト"), blank=True, editable=False)

    class Meta:
        verbose_name = _("IT企業")
        verbose_name_plural = _("IT企業")
        ordering = ["name_kana", "name", "id"]
        indexes = [models.Index(fields=["approved", "name_kana"], name="portal_itco_approved_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=models.Q(company__isnull=False), name="portal_itco_one_per_registry"
            ),
            models.CheckConstraint(
                condition=models.Q(approved=False) | models.Q(approved_at__isnull=False),
                name="portal_itco_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:itcompany_detail", kwargs={"pk": self.pk})


class ITCompanyRevision(models.Model):
    """A change to a directory profile proposed by one of the company's members, waiting for staff approval.

    `data` holds the proposed values (plain fields, ids of the region/municipality/size, code lists as codes);
    approving copies them onto the `ITCompany`. At most one revision per company is pending.
    """

    it_company = models.ForeignKey(
        ITCompany, verbose_name=_("IT企業"), on_delete=models.CASCADE, related_name="revisions"
    )
    data = models.JSONField(_("提案内容"), default=dict)
    status = models.CharField(_("状態"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提案者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="portal_revisions_submitted",
    )
    submitted_at = models.DateTimeField(_("提案日時"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("判断者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_revisions_decided",
    )
    decided_at = models.DateTimeField(_("判断日時"), null=True, blank=True)
    decision_note = models.CharField(_("判断のコメント"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("掲載内容の変更申請")
        verbose_name_plural = _("掲載内容の変更申請")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["it_company"],
                condition=models.Q(status=RevisionStatus.PENDING),
                name="portal_revision_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.it_company} ({self.get_status_display()})"


class ConsultationRequest(TimeStampedModel):
    """A consultation request sent from the portal: a lead for the foundation (相談依頼).

    The name, e-mail and telephone are personal information: only the roles that handle requests see them.
    `company` is the registry record the company name was matched to (when the match was confident).
    """

    reference = models.UUIDField(_("受付番号"), default=uuid.uuid4, unique=True, editable=False)
    company_name = models.CharField(_("会社名・団体名"), max_length=200)
    person_name = models.CharField(_("お名前"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("所在地（市区町村）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_consultations",
    )
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("相談したい課題"),
        related_name="portal_consultations",
        blank=True,
        limit_choices_to=CHALLENGE_CODES,
    )
    message = models.TextField(_("ご相談内容"))
    consent = models.BooleanField(_("個人情報の取扱いへの同意"), default=False)
    status = models.CharField(
        _("状態"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.NEW
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業台帳の企業"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_consultations",
    )
    match_score = models.PositiveSmallIntegerField(_("一致度"), null=True, blank=True)
    match_reasons = models.JSONField(_("一致の根拠"), default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_consultations_assigned",
    )
    staff_note = models.TextField(_("対応メモ"), blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("相談依頼")
        verbose_name_plural = _("相談依頼")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="portal_consult_status_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(consent=True), name="portal_consult_consented")]

    def __str__(self) -> str:
        return f"{self.company_name}（{self.created_at:%Y-%m-%d}）" if self.created_at else self.company_name


class Subscriber(TimeStampedModel):
    """A mail-magazine address. Subscribed only after following the emailed confirmation link (double opt-in)."""

    email = models.EmailField(_("メールアドレス"), unique=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    confirmation_sent_at = models.DateTimeField(_("確認メール送信日時"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("購読開始日時"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("解除日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("メールマガジン購読者")
        verbose_name_plural = _("メールマガジン購読者")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=SubscriberStatus.CONFIRMED) | models.Q(confirmed_at__isnull=False),
                name="portal_subscriber_confirmed_has_date",
            ),
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="portal_subscriber_email_lower"),
        ]

    def __str__(self) -> str:
        return self.email


class MagazineIssue(models.Model):
    """One mail-magazine issue sent to every confirmed subscriber."""

    subject = models.CharField(_("件名"), max_length=150)
    body = models.TextField(_("本文"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送信者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="portal_magazine_issues",
    )
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("送信数"), default=0)

    class Meta:
        verbose_name = _("メールマガジン配信")
        verbose_name_plural = _("メールマガジン配信")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class PageView(models.Model):
    """Views of one public page in one month, counted on the server: no cookie, no address, no person."""

    path = models.CharField(_("ページ"), max_length=200)
    month = models.DateField(_("月"), help_text=_("その月の1日"))
    views = models.PositiveBigIntegerField(_("表示回数"), default=0)

    class Meta:
        verbose_name = _("ページビュー")
        verbose_name_plural = _("ページビュー")
        ordering = ["-month", "-views", "path"]
        constraints = [
            models.UniqueConstraint(fields=["path", "month"], name="portal_pageview_path_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="portal_pageview_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.path} {self.views}"
