"""Events and seminars: the event, its versioned questionnaires, registrations, survey answers and table mixing."""

import secrets
import uuid
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from .choices import EventFormat, EventKind, QuestionnairePurpose, RegistrationSource, RegistrationStatus

# Ticket codes avoid look-alike characters (0/O, 1/I/L) so they can be read aloud and typed.
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TICKET_LENGTH = 10


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _i in range(TICKET_LENGTH))


class Event(TimeStampedModel):
    """A seminar, exchange workshop or online briefing held by a programme."""

    uuid = models.UUIDField(_("公開用識別子"), default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "outreach.Programme", verbose_name=_("事業"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=EventKind.choices, default=EventKind.SEMINAR)
    title = models.CharField(_("タイトル"), max_length=200)
    theme = models.CharField(_("テーマ"), max_length=200, blank=True)
    description = models.TextField(_("内容"), blank=True)
    format = models.CharField(_("開催形式"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON)
    venue_name = models.CharField(_("会場名"), max_length=200, blank=True)
    venue_address = models.CharField(_("会場の住所"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("会場の市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    online_url = models.URLField(
        _("オンライン参加URL"), max_length=500, blank=True, help_text=_("申込者のチケットとメールにだけ表示します。")
    )
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    capacity = models.PositiveIntegerField(
        _("定員"), null=True, blank=True, help_text=_("空欄は定員なし。定員を超えた申込はキャンセル待ちになります。")
    )
    organiser = models.CharField(_("主催"), max_length=200, blank=True)
    moderator = models.CharField(_("進行・モデレーター"), max_length=200, blank=True)
    rounds = models.PositiveSmallIntegerField(_("席替えの回数（ラウンド数）"), default=0)
    tables = models.PositiveSmallIntegerField(_("テーブル数"), default=0)
    published = models.BooleanField(_("公開"), default=False)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_events",
    )

    class Meta:
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["programme", "starts_at"], name="event_programme_start_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_period_ordered"),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1), name="event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(rounds__lte=10) & models.Q(tables__lte=50), name="event_mixing_size_bounded"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public page of the event (no account needed)."""
        return reverse("events:public_detail", kwargs={"uuid": self.uuid})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_venue(self) -> bool:
        return self.format in {EventFormat.IN_PERSON, EventFormat.HYBRID}

    @property
    def map_url(self) -> str:
        """A map search for the venue's address (a link only: nothing is fetched from map services)."""
        query = self.venue_address or self.venue_name
        return f"https://www.openstreetmap.org/search?query={quote(query)}" if query else ""

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """The venue's municipality office coordinates, when known (approximate: the town, not the building)."""
        m = self.municipality
        if m is not None and m.latitude is not None and m.longitude is not None:
            return m.latitude, m.longitude
        return None


class Questionnaire(TimeStampedModel):
    """An event's registration questions or satisfaction survey; its content lives in frozen versions."""

    event = models.ForeignKey(
        Event, verbose_name=_("イベント"), on_delete=models.CASCADE, related_name="questionnaires"
    )
    purpose = models.CharField(_("用途"), max_length=20, choices=QuestionnairePurpose.choices)

    class Meta:
        verbose_name = _("質問票")
        verbose_name_plural = _("質問票")
        ordering = ["event", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["event", "purpose"], name="questionnaire_unique_purpose_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.get_purpose_display()}"

    @property
    def current(self) -> "QuestionnaireVersion | None":
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """One published, frozen version of a questionnaire. Editing publishes a new version; answers keep theirs.

    `definition` = {"questions": [{"key", "kind", "label", "required", "options": [str, …]}]}. Keys are stable
    across versions (a question keeps its key when its label changes), so figures can follow a question.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("質問票"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版"))
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
        verbose_name = _("質問票の版")
        verbose_name_plural = _("質問票の版")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaireversion_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="questionnaireversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} 第{self.number}版"

    @property
    def questions(self) -> list[dict]:
        return list((self.definition or {}).get("questions", []))


class Registration(TimeStampedModel):
    """One person's registration for an event (public page, walk-in or staff). Personal information."""

    uuid = models.UUIDField(_("識別子"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, verbose_name=_("イベント"), on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("状態"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    source = models.CharField(
        _("申込経路"), max_length=20, choices=RegistrationSource.choices, default=RegistrationSource.PUBLIC
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_key = models.CharField(_("氏名（照合用）"), max_length=100, editable=False)
    organisation = models.CharField(_("所属（企業・団体名）"), max_length=200)
    organisation_key = models.CharField(_("所属（照合用）"), max_length=200, editable=False)
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("企業台帳の企業"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    match_score = models.PositiveSmallIntegerField(_("照合スコア"), null=True, blank=True)
    is_it_company = models.BooleanField(_("IT企業"), default=False)
    role_title = models.CharField(_("役職"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    email_key = models.CharField(_("メールアドレス（照合用）"), max_length=254, blank=True, editable=False)
    consent_at = models.DateTimeField(_("個人情報の取扱いへの同意日時"), null=True, blank=True)
    answers = models.JSONField(_("申込時の回答"), default=dict, blank=True)
    answers_version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("申込時の質問の版"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    ticket_code = models.CharField(_("受付コード"), max_length=20, unique=True, default=new_ticket_code)
    checked_in_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付担当"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("キャンセル日時"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("繰り上げ日時"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("アンケート送信日時"), null=True, blank=True)
    visit = models.ForeignKey(
        "outreach.Visit",
        verbose_name=_("ヒアリング記録"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )

    class Meta:
        verbose_name = _("申込")
        verbose_name_plural = _("申込")
        ordering = ["event", "created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_event_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_key"],
                condition=~models.Q(status="cancelled") & ~models.Q(email_key=""),
                name="registration_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "name_key", "organisation_key"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(status="registered"),
                name="registration_checked_in_is_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.name}"

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def person_key(self) -> str:
        """Who this is across events: the normalised email, else name and organisation."""
        return self.email_key or f"{self.name_key}|{self.organisation_key}"

    @property
    def org_key(self) -> str:
        """Which organisation this is across events: the registry company, else the normalised name."""
        return f"c{self.company_id}" if self.company_id else f"n:{self.organisation_key}"


class SurveyResponse(models.Model):
    """An attendee's answers to the satisfaction survey, in the version they were given."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("申込"), on_delete=models.CASCADE, related_name="survey_response"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("アンケートの版"), on_delete=models.PROTECT, related_name="responses"
    )
    answers = models.JSONField(_("回答"), default=dict)
    submitted_at = models.DateTimeField(_("回答日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("アンケート回答")
        verbose_name_plural = _("アンケート回答")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.registration} / {self.version}"


class MixingRun(models.Model):
    """One table-mixing plan of a workshop: the optimiser's figures next to a random assignment's."""

    event = models.ForeignKey(Event, verbose_name=_("イベント"), on_delete=models.CASCADE, related_name="mixing_runs")
    seed = models.PositiveIntegerField(_("乱数シード"))
    rounds = models.PositiveSmallIntegerField(_("ラウンド数"))
    tables = models.PositiveSmallIntegerField(_("テーブル数"))
    current_round = models.PositiveSmallIntegerField(_("進行中のラウンド"), default=1)
    metrics = models.JSONField(_("評価"), default=dict)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("席替え案")
        verbose_name_plural = _("席替え案")
        ordering = ["event", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} / {self.created_at:%Y-%m-%d %H:%M}"


class TableSeat(models.Model):
    """Where one attendee sits in one round of a mixing run."""

    run = models.ForeignKey(MixingRun, verbose_name=_("席替え案"), on_delete=models.CASCADE, related_name="seats")
    registration = models.ForeignKey(
        Registration, verbose_name=_("申込"), on_delete=models.CASCADE, related_name="seats"
    )
    round = models.PositiveSmallIntegerField(_("ラウンド"))
    table = models.PositiveSmallIntegerField(_("テーブル"))

    class Meta:
        verbose_name = _("座席")
        verbose_name_plural = _("座席")
        ordering = ["run", "round", "table", "registration"]
        constraints = [
            models.UniqueConstraint(fields=["run", "registration", "round"], name="tableseat_one_per_round"),
            models.CheckConstraint(
                condition=models.Q(round__gte=1) & models.Q(table__gte=1), name="tableseat_numbers_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"R{self.round} T{self.table} {self.registration}"
