"""Sharing with the foundation: referrals and their history, advice threads, the hands-on support priority list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import (
    CLOSED_REFERRAL_STATUSES,
    AdviceStatus,
    ConsentScope,
    PriorityDecisionKind,
    ReferralDestination,
    ReferralStatus,
    Urgency,
)


class Referral(TimeStampedModel):
    """紹介: a company referred from a visit to the foundation (機構) or the technology centre.

    Moves 紹介済 → 連絡済 → 相談開始 → 支援中 → 完了, or ends as 見送り; every move is a `ReferralEvent`.
    `consent_scope` is what the company agreed the destination may receive: with `contact`, the
    coordinators of the programme may see `contact`'s details; otherwise only the company and what was heard.
    """

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="referrals"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.PROTECT, related_name="referrals"
    )
    visit = models.ForeignKey(
        "outreach.Visit",
        verbose_name=_("紹介元の訪問"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    destination = models.CharField(_("紹介先"), max_length=30, choices=ReferralDestination.choices)
    challenges = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("相談したい課題"),
        related_name="referrals_by_challenge",
        blank=True,
        limit_choices_to={"list": "challenge"},
    )
    purpose = models.TextField(_("紹介の目的・相談内容"), max_length=2000)
    urgency = models.CharField(_("緊急度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    consent_scope = models.CharField(
        _("企業が同意した提供範囲"), max_length=10, choices=ConsentScope.choices, default=ConsentScope.COMPANY
    )
    contact = models.ForeignKey(
        "companies.Contact",
        verbose_name=_("連絡先として同意した担当者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(_("状態"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    referred_on = models.DateField(_("紹介日"))
    status_changed_on = models.DateField(_("状態の変更日"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("紹介者"), on_delete=models.PROTECT, related_name="referrals_made"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当コーディネータ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_assigned",
    )

    class Meta:
        verbose_name = _("紹介")
        verbose_name_plural = _("紹介")
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["programme", "status"], name="referral_prog_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "company", "destination"],
                condition=~models.Q(status__in=[s.value for s in CLOSED_REFERRAL_STATUSES]),
                name="referral_one_open_per_destination",
                violation_error_message=_("この企業はすでに同じ紹介先へ紹介中です。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status_changed_on__gte=models.F("referred_on")),
                name="referral_status_date_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.get_destination_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_REFERRAL_STATUSES


class ReferralEvent(models.Model):
    """One move of a referral (including its creation): who, when, from which state to which, and a note."""

    referral = models.ForeignKey(Referral, verbose_name=_("紹介"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("変更前の状態"), max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(_("変更後の状態"), max_length=20, choices=ReferralStatus.choices)
    occurred_on = models.DateField(_("日付"))
    note = models.TextField(_("メモ"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral_events",
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("紹介の経過")
        verbose_name_plural = _("紹介の経過")
        ordering = ["referral", "occurred_on", "id"]
        indexes = [models.Index(fields=["to_status", "occurred_on"], name="refevent_status_date_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_to_status_display()}"


class AdviceThread(TimeStampedModel):
    """助言の依頼 (spec 5(3)ロ): a coordinator asks the contractor for advice on a company; answered in a thread."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="advice_threads"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.PROTECT, related_name="advice_threads"
    )
    subject = models.CharField(_("件名"), max_length=200)
    status = models.CharField(_("状態"), max_length=10, choices=AdviceStatus.choices, default=AdviceStatus.WAITING)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("依頼者"), on_delete=models.PROTECT, related_name="advice_threads"
    )
    last_message_at = models.DateTimeField(_("最終投稿日時"))

    class Meta:
        verbose_name = _("助言の依頼")
        verbose_name_plural = _("助言の依頼")
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["programme", "status", "last_message_at"], name="advice_prog_status_idx")]

    def __str__(self) -> str:
        return self.subject


class AdviceMessage(models.Model):
    """One message of an advice thread (the question, an answer, a follow-up question)."""

    thread = models.ForeignKey(
        AdviceThread, verbose_name=_("助言の依頼"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("投稿者"), on_delete=models.PROTECT, related_name="advice_messages"
    )
    body = models.TextField(_("本文"), max_length=5000)
    is_answer = models.BooleanField(_("受託者からの回答"), default=False)
    created_at = models.DateTimeField(_("投稿日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("助言のメッセージ")
        verbose_name_plural = _("助言のメッセージ")
        ordering = ["thread", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.body[:30]}"


class PriorityWeights(models.Model):
    """One version of the weights of the hands-on support priority score, per programme.

    Versions are never edited: the prefecture's change makes a new version, so every stored list says
    which weights produced it. The newest version is the one in force.
    """

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="priority_weights"
    )
    version = models.PositiveIntegerField(_("版"))
    interest_high = models.SmallIntegerField(_("関心度が高い"), default=20)
    interest_medium = models.SmallIntegerField(_("関心度が普通"), default=8)
    outcome_support = models.SmallIntegerField(_("伴走支援を希望"), default=25)
    outcome_consultation = models.SmallIntegerField(_("機構への相談を申込"), default=15)
    outcome_technology_centre = models.SmallIntegerField(_("工業技術センターへの相談"), default=10)
    outcome_subsidies = models.SmallIntegerField(_("補助金を検討"), default=5)
    per_challenge = models.SmallIntegerField(_("課題カテゴリ1件あたり"), default=3)
    challenge_cap = models.PositiveSmallIntegerField(_("課題カテゴリの上限件数"), default=5)
    per_barrier = models.SmallIntegerField(_("障壁1件あたり"), default=4)
    barrier_cap = models.PositiveSmallIntegerField(_("障壁の上限件数"), default=3)
    stage_1 = models.SmallIntegerField(_("デジタル化の段階1"), default=10)
    stage_2 = models.SmallIntegerField(_("デジタル化の段階2"), default=6)
    stage_3 = models.SmallIntegerField(_("デジタル化の段階3"), default=2)
    size_small = models.SmallIntegerField(_("小規模（従業員20人以下）"), default=8)
    size_medium = models.SmallIntegerField(_("中規模（従業員21〜100人）"), default=5)
    designated = models.SmallIntegerField(_("指定企業"), default=10)
    recent_30 = models.SmallIntegerField(_("30日以内に訪問"), default=10)
    recent_90 = models.SmallIntegerField(_("90日以内に訪問"), default=5)
    in_support = models.SmallIntegerField(_("既に相談・支援中"), default=-30)
    note = models.CharField(_("変更の理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priority_weights",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    WEIGHT_FIELDS = (
        "interest_high",
        "interest_medium",
        "outcome_support",
        "outcome_consultation",
        "outcome_technology_centre",
        "outcome_subsidies",
        "per_challenge",
        "challenge_cap",
        "per_barrier",
        "barrier_cap",
        "stage_1",
        "stage_2",
        "stage_3",
        "size_small",
        "size_medium",
        "designated",
        "recent_30",
        "recent_90",
        "in_support",
    )

    class Meta:
        verbose_name = _("優先度の重み")
        verbose_name_plural = _("優先度の重み")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="priorityweights_version_unique"),
            models.CheckConstraint(
                condition=models.Q(challenge_cap__lte=13) & models.Q(barrier_cap__lte=9),
                name="priorityweights_caps_within_lists",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.version}"

    def values(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.WEIGHT_FIELDS}


class PrioritySnapshot(models.Model):
    """One computation of the priority list: when, by whom, with which weights. Its entries are the ranks."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="priority_snapshots"
    )
    weights = models.ForeignKey(
        PriorityWeights, verbose_name=_("重み"), on_delete=models.PROTECT, related_name="snapshots"
    )
    computed_at = models.DateTimeField(_("計算日時"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priority_snapshots",
    )
    as_of = models.DateField(_("基準日"))
    company_count = models.PositiveIntegerField(_("企業数"), default=0)

    class Meta:
        verbose_name = _("優先リストの計算")
        verbose_name_plural = _("優先リストの計算")
        ordering = ["programme", "-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]

    def __str__(self) -> str:
        return f"{self.programme} {self.computed_at:%Y-%m-%d %H:%M}"


class PriorityEntry(models.Model):
    """One company's rank in one snapshot, with its score and the reasons (label and points) behind it."""

    snapshot = models.ForeignKey(
        PrioritySnapshot, verbose_name=_("計算"), on_delete=models.CASCADE, related_name="entries"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.CASCADE, related_name="priority_entries"
    )
    rank = models.PositiveIntegerField(_("順位"))
    score = models.IntegerField(_("点数"))
    reasons = models.JSONField(_("理由"), default=list, blank=True, help_text=_("[{code, label, points}]"))
    last_visit_date = models.DateField(_("最終訪問日"), null=True, blank=True)

    class Meta:
        verbose_name = _("優先リストの順位")
        verbose_name_plural = _("優先リストの順位")
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "company"], name="priorityentry_company_once"),
            models.UniqueConstraint(fields=["snapshot", "rank"], name="priorityentry_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.company_id} ({self.score})"


class PriorityDecision(TimeStampedModel):
    """A coordinator's decision on a company of the priority list: accept, decline (with a reason) or advice.

    Append-only: the newest decision per company is the current one; older ones are its history.
    """

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="priority_decisions"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.PROTECT, related_name="priority_decisions"
    )
    kind = models.CharField(_("判断"), max_length=10, choices=PriorityDecisionKind.choices)
    note = models.TextField(_("理由・助言"), max_length=2000, blank=True)
    entry = models.ForeignKey(
        PriorityEntry,
        verbose_name=_("判断時の順位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("判断者"), on_delete=models.PROTECT, related_name="priority_decisions"
    )

    class Meta:
        verbose_name = _("伴走支援の判断")
        verbose_name_plural = _("伴走支援の判断")
        ordering = ["programme", "company", "-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "company", "-created_at"], name="prioritydecision_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="decline") | ~models.Q(note=""),
                name="prioritydecision_decline_has_reason",
                violation_error_message=_("見送りの理由を入力してください。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="advice") | ~models.Q(note=""),
                name="prioritydecision_advice_has_text",
                violation_error_message=_("助言の内容を入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.get_kind_display()}"
