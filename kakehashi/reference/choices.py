from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeList(models.TextChoices):
    """The editable code lists of the product brief. Their items live in `CodeItem`."""

    EMPLOYEES = "employees", _("従業員規模")
    REVENUE = "revenue", _("売上規模")
    LEGAL_FORM = "legal_form", _("法人格")
    BUSINESS_FORM = "business_form", _("業態")
    VISIT_FORMAT = "visit_format", _("外訪形態")
    CHALLENGE = "challenge", _("課題カテゴリ")
    BARRIER = "barrier", _("障壁")
    DIGITAL_STAGE = "digital_stage", _("デジタル化の段階")
    INTRODUCTION = "introduction", _("紹介内容")
    OUTCOME = "outcome", _("勧誘成果")
    INTEREST_LEVEL = "interest_level", _("関心度")


class MunicipalityKind(models.TextChoices):
    CITY = "city", _("市")
    DESIGNATED_CITY = "designated_city", _("政令指定都市")
    WARD = "ward", _("行政区")
    SPECIAL_WARD = "special_ward", _("特別区")
    TOWN = "town", _("町")
    VILLAGE = "village", _("村")


class IndustryLevel(models.TextChoices):
    MAJOR = "major", _("大分類")
    MIDDLE = "middle", _("中分類")
