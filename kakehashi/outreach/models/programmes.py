"""Programmes (one prefecture's programme for one fiscal year), their members and designated companies."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.japanese_dates import format_fiscal_year
from kakehashi.core.models import TimeStampedModel

from ..choices import PROGRAMME_ROLES, ProgrammeKind


class Programme(TimeStampedModel):
    """A prefecture's programme for one fiscal year (April–March), with its target count."""

    code = models.SlugField(_("コード"), max_length=50, unique=True, help_text=_("API などで使う不変の識別子"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("種類"), max_length=30, choices=ProgrammeKind.choices, default=ProgrammeKind.DX_COMMUNICATE
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture", verbose_name=_("都道府県"), on_delete=models.PROTECT, related_name="programmes"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    start_date = models.DateField(_("開始日"))
    end_date = models.DateField(_("終了日"))
    target_count = models.PositiveIntegerField(_("達成目標件数"), default=400)
    description = models.TextField(_("説明"), blank=True)
    active = models.BooleanField(_("有効"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProgrammeMembership", verbose_name=_("メンバー"), related_name="programmes"
    )

    class Meta:
        verbose_name = _("事業")
        verbose_name_plural = _("事業")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="programme_period_ordered"
            ),
            models.CheckConstraint(condition=models.Q(fiscal_year__gte=2000), name="programme_fiscal_year_plausible"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @staticmethod
    def fiscal_year_period(year: int) -> tuple[datetime.date, datetime.date]:
        return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


class ProgrammeMembership(models.Model):
    """A user working on a programme in one role."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("事業"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="programme_memberships",
    )
    role = models.CharField(_("役割"), max_length=30, choices=PROGRAMME_ROLES)

    class Meta:
        verbose_name = _("事業メンバー")
        verbose_name_plural = _("事業メンバー")
        ordering = ["programme", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="membership_unique_role_in_programme")
        ]

    def __str__(self) -> str:
        return f"{self.programme} / {self.user} / {self.get_role_display()}"


class DesignatedCompany(TimeStampedModel):
    """A company on the prefecture's designated list (指定訪問先) for one programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("事業"), on_delete=models.CASCADE, related_name="designations"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("企業等"), on_delete=models.CASCADE, related_name="designations"
    )
    source = models.CharField(_("出典"), max_length=200, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指定訪問先")
        verbose_name_plural = _("指定訪問先")
        ordering = ["programme", "company"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "company"], name="designation_unique_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.programme} / {self.company}"
