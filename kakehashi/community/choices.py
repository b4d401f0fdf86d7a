"""Fixed choices of the community. Challenge areas are the editable `challenge` code list (reference)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LOCAL = "local", _("地域企業")
    IT = "it", _("IT企業")


class NotifyFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("すぐにメールで受け取る")
    DAILY = "daily", _("1日1回まとめて受け取る")
    OFF = "off", _("メールで受け取らない")


class IntroductionStatus(models.TextChoices):
    REQUESTED = "requested", _("回答待ち")
    ACCEPTED = "accepted", _("承諾")
    DECLINED = "declined", _("辞退")


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("アイデア")
    TRIAL = "trial", _("実証（PoC）")
    LAUNCHED = "launched", _("事業化")


# The only moves a project may make: one step forward at a time.
STAGE_NEXT = {ProjectStage.IDEA: ProjectStage.TRIAL, ProjectStage.TRIAL: ProjectStage.LAUNCHED}


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("メンション")
    REPLY = "reply", _("スレッドへの返信")
    INTRO_REQUESTED = "intro_requested", _("紹介の依頼")
    INTRO_ANSWERED = "intro_answered", _("紹介依頼への回答")
    PROJECT = "project", _("共創プロジェクト")


# Members with no post and no sign-in within this many days are not "active".
ACTIVE_DAYS = 30
