from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.choices import Role


class ProgrammeKind(models.TextChoices):
    DX_COMMUNICATE = "dx_communicate", _("DXコミュニケート（企業訪問）")
    CROSS_INDUSTRY = "cross_industry", _("異業種連携（交流・コミュニティ）")


# Roles a member can hold inside one programme.
PROGRAMME_ROLES = [
    (Role.PREFECTURE.value, Role.PREFECTURE.label),
    (Role.MANAGER.value, Role.MANAGER.label),
    (Role.COMMUNICATOR.value, Role.COMMUNICATOR.label),
    (Role.COORDINATOR.value, Role.COORDINATOR.label),
    (Role.PARTNER.value, Role.PARTNER.label),
]


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("提出済")
    ACCEPTED = "accepted", _("承認済")
    RETURNED = "returned", _("差戻し")


# Visits in these states count as hearings in progress figures.
COUNTED_VISIT_STATUSES = (VisitStatus.SUBMITTED, VisitStatus.ACCEPTED)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("単一選択")
    MULTI = "multi", _("複数選択")
    SCALE = "scale", _("段階評価")
    NUMBER = "number", _("数値")
    TEXT = "text", _("自由記述")


class ContentKind(models.TextChoices):
    INTEREST = "interest", _("関心喚起")
    REFERRAL = "referral", _("機構・工業技術センター紹介")
    MANUAL = "manual", _("マニュアル")
    PUBLICITY = "publicity", _("広報")


class ContentAudience(models.TextChoices):
    ALL = "all", _("すべての企業")
    SMALL = "small", _("小規模事業者")
    MANUFACTURING = "manufacturing", _("製造業")
    SERVICE = "service", _("サービス業")
    STAFF = "staff", _("支援者向け")
