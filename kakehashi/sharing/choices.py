"""Fixed choices of the sharing app: referral destinations, states, urgency, consent scope, decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralDestination(models.TextChoices):
    FOUNDATION = "foundation", _("機構（産業支援機構）")
    TECHNOLOGY_CENTRE = "technology_centre", _("工業技術センター")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("紹介済")
    CONTACTED = "contacted", _("連絡済")
    CONSULTING = "consulting", _("相談開始")
    SUPPORTING = "supporting", _("支援中")
    COMPLETED = "completed", _("完了")
    DECLINED = "declined", _("見送り")


# The forward path; 見送り may end any open referral.
REFERRAL_PATH = (
    ReferralStatus.REFERRED,
    ReferralStatus.CONTACTED,
    ReferralStatus.CONSULTING,
    ReferralStatus.SUPPORTING,
    ReferralStatus.COMPLETED,
)
CLOSED_REFERRAL_STATUSES = (ReferralStatus.COMPLETED, ReferralStatus.DECLINED)
OPEN_REFERRAL_STATUSES = tuple(s for s in ReferralStatus if s not in CLOSED_REFERRAL_STATUSES)
# A referral that reached one of these has had a consultation registered / hands-on support started.
CONSULTATION_STATUSES = (ReferralStatus.CONSULTING, ReferralStatus.SUPPORTING, ReferralStatus.COMPLETED)
SUPPORT_STATUSES = (ReferralStatus.SUPPORTING, ReferralStatus.COMPLETED)


class Urgency(models.TextChoices):
    HIGH = "high", _("高（早めの連絡を希望）")
    NORMAL = "normal", _("中")
    LOW = "low", _("低（情報提供のみ）")


class ConsentScope(models.TextChoices):
    """What the company agreed the foundation / centre may receive."""

    COMPANY = "company", _("企業情報とヒアリング内容のみ")
    CONTACT = "contact", _("担当者の連絡先も提供してよい")


class AdviceStatus(models.TextChoices):
    WAITING = "waiting", _("回答待ち")
    ANSWERED = "answered", _("回答済")
    CLOSED = "closed", _("完了")


class PriorityDecisionKind(models.TextChoices):
    ACCEPT = "accept", _("受け入れ（伴走支援の対象にする）")
    DECLINE = "decline", _("見送り")
    ADVICE = "advice", _("助言を記録")


class FunnelStage(models.TextChoices):
    """The funnel of the dashboard and the periodic reports, in order."""

    INTRODUCED = "introduced", _("機構・センターを紹介")
    SOLICITED = "solicited", _("相談・支援を勧誘（同意）")
    CONSULTATION = "consultation", _("相談登録")
    SUPPORT = "support", _("伴走支援開始")


# Visit codes (reference CodeItem codes) that feed the funnel.
FUNNEL_INTRODUCTION_CODES = ("foundation_consultation", "technology_centre", "coordinator_support")
FUNNEL_OUTCOME_CODES = ("foundation_consultation", "technology_centre", "coordinator_support")
