"""The community: organisations, member profiles, introductions, topics and threads, co-creation projects."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import IntroductionStatus, NotificationKind, NotifyFrequency, OrganisationKind, ProjectStage

CHALLENGE_CODES = {"list": "challenge"}


class Organisation(TimeStampedModel):
    """An organisation members belong to: a local company (registry record) or an IT company (portal directory).

    `name_key` is the normalised name (`companies.normalise.company_name_key`), so "(株)山形精密" and
    "株式会社 山形精密" are one organisation even before staff link the registry record.
    """

    kind = models.CharField(_("種別"), max_length=10, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    name_key = models.CharField(_("正規化名称"), max_length=200, db_index=True, editable=False)
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業台帳の企業"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_organisations",
    )
    it_company = models.ForeignKey(
        "portal.ITCompany",
        verbose_name=_("IT企業ディレクトリの掲載"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_organisations",
    )
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("所在市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_organisations",
    )

    class Meta:
        verbose_name = _("所属組織")
        verbose_name_plural = _("所属組織")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name_key"], name="community_org_unique_name_per_kind"),
            models.UniqueConstraint(
                fields=["company"], condition=Q(company__isnull=False), name="community_org_unique_company"
            ),
            models.UniqueConstraint(
                fields=["it_company"], condition=Q(it_company__isnull=False), name="community_org_unique_it_company"
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.IT) | Q(it_company__isnull=True),
                name="community_org_directory_only_for_it",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(TimeStampedModel):
    """A community member's profile: who they are with, what they can offer and what they need."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("ユーザー"), on_delete=models.CASCADE, related_name="community_member"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属組織"), on_delete=models.PROTECT, related_name="members"
    )
    title = models.CharField(_("部署・役職"), max_length=100, blank=True)
    offer_challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("提供できること（課題カテゴリ）"),
        related_name="community_offers",
        blank=True,
        limit_choices_to=CHALLENGE_CODES,
    )
    need_challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("求めていること（課題カテゴリ）"),
        related_name="community_needs",
        blank=True,
        limit_choices_to=CHALLENGE_CODES,
    )
    offers_text = models.TextField(_("提供できること"), max_length=2000, blank=True)
    needs_text = models.TextField(_("求めていること"), max_length=2000, blank=True)
    notify_frequency = models.CharField(
        _("メール通知"), max_length=10, choices=NotifyFrequency.choices, default=NotifyFrequency.DAILY
    )
    banned_at = models.DateTimeField(_("利用停止日時"), null=True, blank=True)
    banned_reason = models.CharField(_("利用停止の理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("コミュニティ会員")
        verbose_name_plural = _("コミュニティ会員")
        ordering = ["user__display_name", "pk"]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("community:member_detail", kwargs={"pk": self.pk})

    @property
    def is_banned(self) -> bool:
        return self.banned_at is not None

    @property
    def handle(self) -> str:
        """What others type after @ to mention this member."""
        return self.user.username


class Introduction(TimeStampedModel):
    """A member asks to be introduced to another; the other side accepts or declines."""

    requester = models.ForeignKey(
        Member, verbose_name=_("依頼した会員"), on_delete=models.CASCADE, related_name="introductions_sent"
    )
    recipient = models.ForeignKey(
        Member, verbose_name=_("依頼された会員"), on_delete=models.CASCADE, related_name="introductions_received"
    )
    message = models.TextField(_("メッセージ"), max_length=2000)
    reasons = models.JSONField(_("提案の理由"), default=list, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=IntroductionStatus.choices, default=IntroductionStatus.REQUESTED
    )
    responded_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    response_message = models.TextField(_("回答メッセージ"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("紹介依頼")
        verbose_name_plural = _("紹介依頼")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="community_intro_not_to_self"),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status=IntroductionStatus.REQUESTED),
                name="community_intro_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class Topic(models.Model):
    """A board of threads (e.g. 生産管理, 補助金情報). Staff keep the list; retired topics stay readable."""

    slug = models.SlugField(_("識別子"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("説明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("トピック")
        verbose_name_plural = _("トピック")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Thread(TimeStampedModel):
    """A conversation in a topic. It may link to an event: a follow-up meetup of the people who met there."""

    topic = models.ForeignKey(Topic, verbose_name=_("トピック"), on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("タイトル"), max_length=200)
    author = models.ForeignKey(Member, verbose_name=_("作成者"), on_delete=models.PROTECT, related_name="threads")
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("交流会のイベント"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_threads",
    )
    last_posted_at = models.DateTimeField(_("最終投稿日時"), db_index=True)
    meetup_proposed_at = models.DateTimeField(_("交流会の提案日時"), null=True, blank=True)
    meetup_proposed_by = models.ForeignKey(
        Member,
        verbose_name=_("交流会を提案した会員"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetup_proposals",
    )

    class Meta:
        verbose_name = _("スレッド")
        verbose_name_plural = _("スレッド")
        ordering = ["-last_posted_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:thread_detail", kwargs={"pk": self.pk})


class Post(TimeStampedModel):
    """One message in a thread. Staff may hide it (it stays for the record); @handles notify the members named."""

    thread = models.ForeignKey(Thread, verbose_name=_("スレッド"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Member, verbose_name=_("投稿者"), on_delete=models.PROTECT, related_name="posts")
    body = models.TextField(_("本文"), max_length=5000)
    mentions = models.ManyToManyField(
        Member, verbose_name=_("メンション"), related_name="mentioned_in_posts", blank=True
    )
    hidden_at = models.DateTimeField(_("非表示にした日時"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("非表示にした人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_hidden_posts",
    )
    hidden_reason = models.CharField(_("非表示の理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("投稿")
        verbose_name_plural = _("投稿")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["author", "created_at"], name="community_post_author_time")]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostReport(TimeStampedModel):
    """A member reports a post to the moderators; a moderator resolves it (hiding the post or not)."""

    post = models.ForeignKey(Post, verbose_name=_("投稿"), on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        Member, verbose_name=_("通報した会員"), on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(_("理由"), max_length=300)
    resolved_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_resolved_reports",
    )

    class Meta:
        verbose_name = _("通報")
        verbose_name_plural = _("通報")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="community_report_once_per_member")]

    def __str__(self) -> str:
        return f"{self.post} ({self.reporter})"


class Notification(models.Model):
    """Something a member should know; mailed at once or in the daily digest, per the member's setting."""

    member = models.ForeignKey(Member, verbose_name=_("会員"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("種類"), max_length=20, choices=NotificationKind.choices)
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("リンク"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "emailed_at"], name="community_notif_unsent")]

    def __str__(self) -> str:
        return self.message


class Project(TimeStampedModel):
    """A co-creation project of members from two or more organisations; a launch is a new business (新事業)."""

    title = models.CharField(_("プロジェクト名"), max_length=200)
    summary = models.TextField(_("概要"), max_length=3000, blank=True)
    stage = models.CharField(_("段階"), max_length=10, choices=ProjectStage.choices, default=ProjectStage.IDEA)
    created_by = models.ForeignKey(
        Member, verbose_name=_("登録した会員"), on_delete=models.PROTECT, related_name="projects_created"
    )
    participants = models.ManyToManyField(Member, verbose_name=_("参加会員"), related_name="projects")
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("課題カテゴリ"),
        related_name="community_projects",
        blank=True,
        limit_choices_to=CHALLENGE_CODES,
    )
    started_on = models.DateField(_("開始日"))
    launched_on = models.DateField(_("事業化日"), null=True, blank=True)

    class Meta:
        verbose_name = _("共創プロジェクト")
        verbose_name_plural = _("共創プロジェクト")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(stage=ProjectStage.LAUNCHED) & Q(launched_on__isnull=False))
                | (~Q(stage=ProjectStage.LAUNCHED) & Q(launched_on__isnull=True)),
                name="community_project_launch_date_iff_launched",
            ),
            models.CheckConstraint(
                condition=Q(launched_on__isnull=True) | Q(launched_on__gte=F("started_on")),
                name="community_project_launch_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:project_detail", kwargs={"pk": self.pk})


class ProjectStageChange(models.Model):
    """One dated move of a project from one stage to the next (the project's history)."""

    project = models.ForeignKey(
        Project, verbose_name=_("プロジェクト"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("変更前"), max_length=10, choices=ProjectStage.choices, blank=True)
    to_stage = models.CharField(_("変更後"), max_length=10, choices=ProjectStage.choices)
    changed_on = models.DateField(_("日付"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("変更した人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="community_stage_changes",
    )
    note = models.CharField(_("メモ"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("段階の変更")
        verbose_name_plural = _("段階の変更")
        ordering = ["project", "changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_stage} → {self.to_stage}"
