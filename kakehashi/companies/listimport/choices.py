"""Codes of the list import: how a row was classified, what the user chose, what the commit did."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRowOutcome(models.TextChoices):
    MATCHED = "matched", _("既存と一致")
    NEW = "new", _("新規")
    AMBIGUOUS = "ambiguous", _("要確認")
    REJECTED = "rejected", _("取込不可")


class ImportRowDecision(models.TextChoices):
    """What the user chose for an ambiguous row."""

    NONE = "", _("未選択")
    COMPANY = "company", _("既存の企業")
    NEW = "new", _("新規登録")
    SKIP = "skip", _("取り込まない")


class ImportRowApplied(models.TextChoices):
    """What the commit did with a row."""

    NONE = "", _("未処理")
    CREATED = "created", _("新規登録した")
    UPDATED = "updated", _("空欄を補った")
    UNCHANGED = "unchanged", _("変更なし")
    SKIPPED = "skipped", _("取り込まなかった")
