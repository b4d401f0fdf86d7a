"""Fixed choices of the visit planner. Values are stable lowercase ASCII; labels are Japanese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """Where a plan version stands in the prefecture's approval (draft → submitted → approved / returned)."""

    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("承認申請中")
    APPROVED = "approved", _("承認済")
    RETURNED = "returned", _("差戻し")
    SUPERSEDED = "superseded", _("旧版（新しい版が承認済）")


class RunStatus(models.TextChoices):
    """The planner's run that fills a plan version."""

    QUEUED = "queued", _("計算待ち")
    RUNNING = "running", _("計算中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class AlternativeKind(models.TextChoices):
    """How a company is heard when an in-person visit is hard."""

    ONLINE = "online", _("オンライン")
    SEMINAR = "seminar", _("セミナーでのヒアリング")


class StratumKind(models.TextChoices):
    """The two quota dimensions of the spec: region × industry, and business form."""

    REGION_INDUSTRY = "region_industry", _("地域 × 業種")
    BUSINESS_FORM = "business_form", _("業態")


WEEKDAY_LABELS = ["月", "火", "水", "木", "金", "土", "日"]
WEEKDAY_CHOICES = [(str(i), label) for i, label in enumerate(WEEKDAY_LABELS)]

# Plans in these states are still open to changes by the manager.
EDITABLE_PLAN_STATES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
# The stratum key used when a company has no region, industry or business form in the registry.
UNSET_KEY = "-"


def weekday_text(digits: str) -> str:
    """ "01234" → "月火水木金"."""
    return "".join(WEEKDAY_LABELS[int(d)] for d in sorted(set(digits or "")) if d.isdigit() and int(d) < 7)
