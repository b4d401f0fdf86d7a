"""Visit planning (訪問計画): the planner's inputs per programme, and every version of the plan it produced."""

import datetime
import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import AlternativeKind, PlanStatus, RunStatus, StratumKind, weekday_text

weekdays_validator = RegexValidator(r"^[0-6]*$", _("曜日は 0（月）〜6（日）の数字で指定してください。"))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class PlanSettings(TimeStampedModel):
    """The planner's settings for one programme: period, visit length, travel model and the candidate pool."""

    programme = models.OneToOneField(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="plan_settings"
    )
    period_start = models.DateField(_("計画の開始日"), null=True, blank=True, help_text=_("空欄なら事業の開始日"))
    period_end = models.DateField(_("計画の終了日"), null=True, blank=True, help_text=_("空欄なら事業の終了日"))
    visit_minutes = models.PositiveSmallIntegerField(
        _("1件の訪問時間（分）"), default=60, validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    detour_factor = models.FloatField(
        _("迂回係数"),
        default=1.3,
        validators=[MinValueValidator(1.0), MaxValueValidator(3.0)],
        help_text=_("道路距離 ≒ 直線距離 × この係数"),
    )
    speed_kmh = models.FloatField(
        _("平均移動速度（km/h）"), default=40.0, validators=[MinValueValidator(5.0), MaxValueValidator(120.0)]
    )
    lookback_years = models.PositiveSmallIntegerField(
        _("ヒアリング済みとみなす期間（年）"),
        default=3,
        validators=[MaxValueValidator(20)],
        help_text=_("この期間にヒアリングした企業は、まだヒアリングしていない企業より後回しにします"),
    )
    exclude_heard = models.BooleanField(
        _("期間内にヒアリング済みの企業を候補から外す"), default=False, help_text=_("指定訪問先は常に候補に含めます")
    )
    employees_bands = models.ManyToManyField(
        "reference.CodeItem",
        verbose_name=_("対象の従業員規模"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "employees"},
        help_text=_("選ばなければすべての規模が候補"),
    )
    solver_seconds = models.PositiveSmallIntegerField(
        _("計算時間の上限（秒）"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    compactness_weight = models.FloatField(
        _("近さの重み"),
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(10.0)],
        help_text=_("担当者の拠点に近い企業をどれだけ優先するか（0で考慮しない）"),
    )

    class Meta:
        verbose_name = _("訪問計画の設定")
        verbose_name_plural = _("訪問計画の設定")
        ordering = ["programme"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="plansettings_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(detour_factor__gte=1.0), name="plansettings_detour_at_least_1"),
            models.CheckConstraint(condition=models.Q(speed_kmh__gt=0), name="plansettings_speed_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} / {_('訪問計画の設定')}"

    @property
    def start(self) -> datetime.date:
        return self.period_start or self.programme.start_date

    @property
    def end(self) -> datetime.date:
        return self.period_end or self.programme.end_date


class StratumQuota(TimeStampedModel):
    """How many companies of one stratum (region × industry, or business form) the plan should include."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="stratum_quotas"
    )
    kind = models.CharField(_("区分"), max_length=20, choices=StratumKind.choices)
    key = models.CharField(_("層のキー"), max_length=60, help_text=_("例: murayama|E（地域コード|産業大分類）"))
    label = models.CharField(_("層の名称"), max_length=120)
    pool = models.PositiveIntegerField(_("候補の企業数"), default=0)
    quota = models.PositiveIntegerField(_("割当数"), default=0)
    edited = models.BooleanField(_("手で修正"), default=False)

    class Meta:
        verbose_name = _("層別の割当")
        verbose_name_plural = _("層別の割当")
        ordering = ["programme", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "key"], name="stratumquota_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}: {self.quota}"


class CommunicatorProfile(TimeStampedModel):
    """A communicator's availability for planning: home base, working days and hours, daily cap, regions."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="communicator_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("コミュニケータ"),
        on_delete=models.CASCADE,
        related_name="communicator_profiles",
    )
    home_municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("拠点の市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communicator_profiles",
    )
    home_address = models.CharField(_("拠点の住所"), max_length=300, blank=True)
    home_latitude = models.FloatField(
        _("拠点の緯度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(20.0), MaxValueValidator(46.0)],
        help_text=_("分かれば入力。空欄なら市区町村役場の位置"),
    )
    home_longitude = models.FloatField(
        _("拠点の経度"), null=True, blank=True, validators=[MinValueValidator(122.0), MaxValueValidator(154.0)]
    )
    weekdays = models.CharField(
        _("勤務曜日"), max_length=7, default="01234", validators=[weekdays_validator], help_text=_("0=月 … 6=日")
    )
    day_start = models.TimeField(_("始業時刻"), default=datetime.time(9, 0))
    day_end = models.TimeField(_("終業時刻"), default=datetime.time(17, 0))
    max_visits_per_day = models.PositiveSmallIntegerField(
        _("1日の訪問上限"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    regions = models.ManyToManyField(
        "reference.Region",
        verbose_name=_("担当地域"),
        related_name="communicator_profiles",
        blank=True,
        help_text=_("選ばなければ全地域"),
    )
    active = models.BooleanField(_("計画の対象"), default=True)
    feed_token = models.CharField(_("カレンダー配信の鍵"), max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("コミュニケータの稼働条件")
        verbose_name_plural = _("コミュニケータの稼働条件")
        ordering = ["programme", "user"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="communicatorprofile_unique_per_programme"),
            models.CheckConstraint(condition=models.Q(day_end__gt=models.F("day_start")), name="communicator_hours"),
            models.CheckConstraint(condition=models.Q(max_visits_per_day__gte=1), name="communicator_cap_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.programme}）"

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.weekdays)

    @property
    def weekday_text(self) -> str:
        return weekday_text(self.weekdays)


class CommunicatorLeave(models.Model):
    """A day a communicator is away (休暇・研修): no visits are planned for them that day."""

    profile = models.ForeignKey(
        CommunicatorProfile, verbose_name=_("稼働条件"), on_delete=models.CASCADE, related_name="leaves"
    )
    day = models.DateField(_("日付"))
    note = models.CharField(_("備考"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("休暇")
        verbose_name_plural = _("休暇")
        ordering = ["profile", "day"]
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="communicatorleave_unique_day")]

    def __str__(self) -> str:
        return f"{self.profile.user} {self.day:%Y-%m-%d}"


class CompanyConstraint(TimeStampedModel):
    """What a company asked for: preferred days or times, online only, not before / after a date."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="company_constraints"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.CASCADE, related_name="plan_constraints"
    )
    preferred_weekdays = models.CharField(
        _("希望曜日"), max_length=7, blank=True, validators=[weekdays_validator], help_text=_("空欄ならどの曜日でも")
    )
    earliest_time = models.TimeField(_("この時刻以降に訪問"), null=True, blank=True)
    latest_time = models.TimeField(_("この時刻までに開始"), null=True, blank=True)
    online_only = models.BooleanField(_("オンラインのみ希望"), default=False)
    declined = models.BooleanField(
        _("訪問を辞退"),
        default=False,
        help_text=_("計画から外します。指定訪問先はオンラインでのヒアリングを代替として残します"),
    )
    not_before = models.DateField(_("この日より前は不可"), null=True, blank=True)
    not_after = models.DateField(_("この日より後は不可"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("訪問時間（分）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(480)],
        help_text=_("空欄なら設定の訪問時間"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企業の訪問条件")
        verbose_name_plural = _("企業の訪問条件")
        ordering = ["programme", "company"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "company"], name="companyconstraint_unique_per_programme"),
            models.CheckConstraint(
                condition=models.Q(not_before__isnull=True)
                | models.Q(not_after__isnull=True)
                | models.Q(not_after__gte=models.F("not_before")),
                name="companyconstraint_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(earliest_time__isnull=True)
                | models.Q(latest_time__isnull=True)
                | models.Q(latest_time__gte=models.F("earliest_time")),
                name="companyconstraint_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}（{self.programme}）"

    @property
    def weekday_text(self) -> str:
        return weekday_text(self.preferred_weekdays)


class CompanionRequest(TimeStampedModel):
    """Prefecture or partner staff asking to come along on the visit to one company."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.CASCADE, related_name="companion_requests"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.CASCADE, related_name="companion_requests"
    )
    companion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同行者"),
        on_delete=models.CASCADE,
        related_name="companion_requests",
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("同行の希望")
        verbose_name_plural = _("同行の希望")
        ordering = ["programme", "company", "companion"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "company", "companion"], name="companionrequest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.companion} → {self.company}"


class Plan(TimeStampedModel):
    """One version of a programme's visit plan. Versions are never overwritten: each run makes a new one."""

    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="plans"
    )
    version = models.PositiveIntegerField(_("版"))
    status = models.CharField(_("状態"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("元にした版"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replans",
        help_text=_("再計画の元になった版。ここで実施済み・固定の訪問をそのまま引き継ぎます"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_plans",
    )
    period_start = models.DateField(_("計画の開始日"))
    period_end = models.DateField(_("計画の終了日"))
    target = models.PositiveIntegerField(_("目標件数"))
    run_status = models.CharField(_("計算の状態"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress_percent = models.PositiveSmallIntegerField(_("計算の進み具合（%）"), default=0)
    progress_message = models.CharField(_("計算の状況"), max_length=200, blank=True)
    error = models.CharField(_("エラー"), max_length=500, blank=True)
    seconds = models.FloatField(_("計算時間の上限（秒）"), default=30.0)
    solve_seconds = models.FloatField(_("計算にかかった時間（秒）"), null=True, blank=True)
    quality_report = models.JSONField(_("品質レポート"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    inputs_summary = models.JSONField(
        _("入力の概要"), default=dict, blank=True, encoder=DjangoJSONEncoder, help_text=_("候補数、担当者、割当など")
    )
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_plans",
    )
    decided_at = models.DateTimeField(_("承認・差戻し日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認・差戻しした人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_plans",
    )
    decision_comment = models.TextField(_("県のコメント"), blank=True)

    class Meta:
        verbose_name = _("訪問計画")
        verbose_name_plural = _("訪問計画")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="plan_version_unique_in_programme"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status="approved"),
                name="plan_one_approved_per_programme",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="plan_version_positive"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {_('訪問計画')} 第{self.version}版"

    @property
    def is_running(self) -> bool:
        return self.run_status in {RunStatus.QUEUED, RunStatus.RUNNING}


class PlanVisit(models.Model):
    """One company in one plan version: a scheduled visit (who, which day, in what order) or an alternative."""

    plan = models.ForeignKey(Plan, verbose_name=_("訪問計画"), on_delete=models.CASCADE, related_name="visits")
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.PROTECT, related_name="plan_visits"
    )
    communicator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当コミュニケータ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_visits",
    )
    day = models.DateField(_("訪問日"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("その日の順番"), default=0)
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    travel_minutes = models.PositiveIntegerField(_("移動時間（分）"), default=0)
    travel_km = models.FloatField(_("移動距離（km）"), default=0.0)
    designated = models.BooleanField(_("指定訪問先"), default=False)
    locked = models.BooleanField(_("実施済み・固定で引継ぎ"), default=False)
    fixed = models.BooleanField(_("固定（再計画で動かさない）"), default=False)
    companion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_companions",
    )
    alternative_kind = models.CharField(_("代替手段"), max_length=20, choices=AlternativeKind.choices, blank=True)
    alternative_reason = models.CharField(_("代替の理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("計画上の訪問")
        verbose_name_plural = _("計画上の訪問")
        ordering = ["plan", "day", "communicator", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "company"], name="planvisit_company_once_per_plan"),
            models.CheckConstraint(
                condition=~models.Q(alternative_kind="")
                | models.Q(communicator__isnull=False, day__isnull=False, start_time__isnull=False),
                name="planvisit_scheduled_or_alternative",
            ),
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gte=models.F("start_time")),
                name="planvisit_times_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "communicator", "day"], name="planvisit_plan_comm_day_idx"),
        ]

    def __str__(self) -> str:
        if self.alternative_kind:
            return f"{self.company}（{self.get_alternative_kind_display()}）"
        return f"{self.company} {self.day:%Y-%m-%d} #{self.order}"

    @property
    def is_alternative(self) -> bool:
        return bool(self.alternative_kind)
