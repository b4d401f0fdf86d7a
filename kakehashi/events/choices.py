"""Fixed choices of the events app: stable lowercase codes, Japanese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("セミナー")
    WORKSHOP = "workshop", _("交流ワークショップ")
    BRIEFING = "briefing", _("オンライン説明会")
    OTHER = "other", _("その他")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("会場")
    ONLINE = "online", _("オンライン")
    HYBRID = "hybrid", _("会場＋オンライン")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("申込済")
    WAITLISTED = "waitlisted", _("キャンセル待ち")
    CANCELLED = "cancelled", _("キャンセル")


class RegistrationSource(models.TextChoices):
    PUBLIC = "public", _("申込ページ")
    WALK_IN = "walk_in", _("当日受付")
    STAFF = "staff", _("事務局登録")


class QuestionnairePurpose(models.TextChoices):
    REGISTRATION = "registration", _("申込時の質問")
    SURVEY = "survey", _("満足度アンケート")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("5段階評価")
    SINGLE = "single", _("単一選択")
    MULTI = "multi", _("複数選択")
    TEXT = "text", _("自由記述")


# The survey question whose answers are the programme's satisfaction KPI; its key never changes across versions.
SATISFACTION_KEY = "overall"
SCALE_MIN, SCALE_MAX = 1, 5
