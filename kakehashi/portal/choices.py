"""Fixed choices of the public portal. Challenge areas, sizes and industries are reference data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    """What an article is about (記事の種類)."""

    DX_INFO = "dx_info", _("DX情報")
    SUBSIDY = "subsidy", _("補助金・支援制度")
    POLICY = "policy", _("施策・政策")
    CASE_STUDY = "case_study", _("事例紹介")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開")


class RevisionStatus(models.TextChoices):
    """A directory profile change proposed by the IT company's own members, waiting for staff."""

    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("差し戻し")
    WITHDRAWN = "withdrawn", _("取り下げ")


class ConsultationStatus(models.TextChoices):
    """Where a consultation request (相談依頼) stands at the foundation."""

    NEW = "new", _("新規")
    IN_PROGRESS = "in_progress", _("対応中")
    DONE = "done", _("対応済み")
    NO_ACTION = "no_action", _("対応不要")


OPEN_CONSULTATION_STATUSES = frozenset({ConsultationStatus.NEW, ConsultationStatus.IN_PROGRESS})


class SubscriberStatus(models.TextChoices):
    """A mail-magazine address: subscribed only after the confirmation link was followed (double opt-in)."""

    PENDING = "pending", _("確認待ち")
    CONFIRMED = "confirmed", _("購読中")
    UNSUBSCRIBED = "unsubscribed", _("解除済み")
