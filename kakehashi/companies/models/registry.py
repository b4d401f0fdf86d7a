"""The company registry: one record per real organisation, and its contacts (personal information)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import TimeStampedModel

from ..choices import CompanyStatus


class Company(TimeStampedModel):
    """企業等: a real organisation, keyed by its 法人番号 where it has one.

    Sole proprietors and others without a corporate number are first-class records. `name_key`
    is the normalised name used for matching; services keep it in step with `name`.
    """

    corporate_number = models.CharField(_("法人番号"), max_length=13, null=True, blank=True, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_kana = models.CharField(_("フリガナ"), max_length=200, blank=True)
    name_key = models.CharField(_("正規化名称"), max_length=200, db_index=True, editable=False)
    legal_form = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("法人格"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        limit_choices_to={"list": "legal_form"},
    )
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    municipality = models.ForeignKey(
        "reference.Municipality",
        verbose_name=_("市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        db_index=False,
    )
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    industry = models.ForeignKey(
        "reference.Industry",
        verbose_name=_("業種（日本標準産業分類）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
    )
    business_form = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("業態"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        limit_choices_to={"list": "business_form"},
    )
    employees_band = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("従業員規模"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        limit_choices_to={"list": "employees"},
    )
    revenue_band = models.ForeignKey(
        "reference.CodeItem",
        verbose_name=_("売上規模"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        limit_choices_to={"list": "revenue"},
    )
    website = models.URLField(_("ウェブサイト"), blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=CompanyStatus.choices, default=CompanyStatus.ACTIVE)
    closed_on = models.DateField(_("閉鎖日"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("承継法人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("統合先"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_records",
        help_text=_("重複として統合された場合の残る記録"),
    )
    sources = models.JSONField(_("出典"), default=list, blank=True)
    nta_updated_on = models.DateField(_("法人番号データ更新日"), null=True, blank=True)

    class Meta:
        verbose_name = _("企業等")
        verbose_name_plural = _("企業等")
        ordering = ["name_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(corporate_number__isnull=True)
                | models.Q(corporate_number__regex=r"^[1-9][0-9]{12}$"),
                name="company_corporate_number_13_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(postal_code="") | models.Q(postal_code__regex=r"^[0-9]{7}$"),
                name="company_postal_code_7_digits",
            ),
        ]
        # Coded attributes are not indexed on their own: low selectivity, and every index slows the
        # national corporate-number import. Municipality lookups use the composite index.
        indexes = [models.Index(fields=["municipality", "name_key"], name="company_muni_namekey_idx")]

    def __str__(self) -> str:
        return self.name


class Contact(TimeStampedModel):
    """担当者: a person at a company. Personal information — shown only to roles that need it."""

    company = models.ForeignKey(Company, verbose_name=_("企業等"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    department = models.CharField(_("部署"), max_length=100, blank=True)
    title = models.CharField(_("役職"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("担当者")
        verbose_name_plural = _("担当者")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.company}）"
