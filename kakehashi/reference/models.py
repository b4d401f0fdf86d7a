"""Reference data: places, industries and the editable code lists. Codes are never reused."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .choices import CodeList, IndustryLevel, MunicipalityKind
from .jiscode import municipality_code_with_check_digit


class Prefecture(models.Model):
    """One of the 47 prefectures, keyed by its 2-digit JIS code."""

    code = models.CharField(_("都道府県コード"), max_length=2, unique=True)
    name = models.CharField(_("名称"), max_length=10)
    kana = models.CharField(_("よみ"), max_length=20, blank=True)
    name_en = models.CharField(_("英語名"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{2}$"), name="prefecture_code_two_digits")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lg_code(self) -> str:
        """The prefecture's own 6-digit 団体コード (山形県 → 060003)."""
        return municipality_code_with_check_digit(f"{self.code}000")


class Municipality(models.Model):
    """A municipality with its 6-digit 全国地方公共団体コード (JIS X 0402 plus check digit)."""

    code = models.CharField(_("団体コード"), max_length=6, unique=True)
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("都道府県"), on_delete=models.PROTECT, related_name="municipalities"
    )
    name = models.CharField(_("名称"), max_length=30)
    kana = models.CharField(_("よみ"), max_length=60, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=MunicipalityKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("所属する市"), on_delete=models.PROTECT, null=True, blank=True, related_name="wards"
    )
    latitude = models.FloatField(_("緯度（役所）"), null=True, blank=True)
    longitude = models.FloatField(_("経度（役所）"), null=True, blank=True)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("市区町村")
        verbose_name_plural = _("市区町村")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="municipality_code_six_digits")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return f"{self.prefecture.name}{self.name}"


class Region(models.Model):
    """An editable group of municipalities inside one prefecture (e.g. 村山・最上・置賜・庄内)."""

    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("都道府県"), on_delete=models.PROTECT, related_name="regions"
    )
    code = models.CharField(_("コード"), max_length=20)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("有効"), default=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("市区町村"), related_name="regions", blank=True
    )

    class Meta:
        verbose_name = _("地域")
        verbose_name_plural = _("地域")
        ordering = ["prefecture", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "code"], name="region_code_unique_in_prefecture"),
            models.UniqueConstraint(fields=["prefecture", "name"], name="region_name_unique_in_prefecture"),
        ]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """日本標準産業分類 (JSIC): 大分類 A–T and 中分類 01–99."""

    code = models.CharField(_("分類コード"), max_length=4, unique=True)
    level = models.CharField(_("階層"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("大分類"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英語名"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("産業分類")
        verbose_name_plural = _("産業分類")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level=IndustryLevel.MAJOR, code__regex=r"^[A-T]$", parent__isnull=True)
                    | models.Q(level=IndustryLevel.MIDDLE, code__regex=r"^[0-9]{2}$", parent__isnull=False)
                ),
                name="industry_code_matches_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def localised_label(label_ja: str | None, label_en: str | None) -> str:
    """A code's label in the active language (Japanese when no English label exists; "" for no code)."""
    if label_en and translation.get_language() == "en":
        return label_en
    return label_ja or ""


class CodeItem(models.Model):
    """One code of an editable list. Labels and order may change; a code is retired, never reused."""

    list = models.CharField(_("コード表"), max_length=30, choices=CodeList.choices)
    code = models.CharField(
        _("コード"),
        max_length=30,
        validators=[
            RegexValidator(r"^[a-z0-9_]+$", _("コードは半角の英小文字・数字・アンダースコア（_）で入力してください。"))
        ],
    )
    label_ja = models.CharField(_("表示名（日本語）"), max_length=100)
    label_en = models.CharField(_("表示名（英語）"), max_length=100, blank=True)
    description = models.CharField(_("説明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("コード")
        verbose_name_plural = _("コード")
        ordering = ["list", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["list", "code"], name="codeitem_code_unique_in_list"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z0-9_]+$"),
                name="codeitem_code_lowercase_ascii",
                violation_error_message=_("コードは半角の英小文字・数字・アンダースコア（_）で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localised_label(self.label_ja, self.label_en)
