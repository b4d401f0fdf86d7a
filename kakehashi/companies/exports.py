"""Registry exports (CSV and XLSX) of a filtered company list. No personal information: contacts are not exported.

The generic writers (`safe_cell`, `write_csv`, `write_xlsx`, responses) live in `kakehashi.core.exports`
and are re-exported here for convenience. Coded attributes are written as a code column and a label column.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kakehashi.core.exports import csv_response, safe_cell, write_csv, write_xlsx, xlsx_response
from kakehashi.outreach.models import Programme

from .choices import CompanySource, CompanyStatus
from .models import Company
from .selectors import with_designation

__all__ = ["company_export_response", "company_rows", "export_header", "safe_cell", "write_csv", "write_xlsx"]

EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_CHUNK = 2000


def export_header() -> list[str]:
    return [
        _("ID"),
        _("法人番号"),
        _("名称"),
        _("フリガナ"),
        _("法人格コード"),
        _("法人格"),
        _("郵便番号"),
        _("市区町村コード"),
        _("都道府県"),
        _("市区町村"),
        _("所在地"),
        _("業種コード"),
        _("業種"),
        _("業態コード"),
        _("業態"),
        _("従業員規模コード"),
        _("従業員規模"),
        _("売上規模コード"),
        _("売上規模"),
        _("ウェブサイト"),
        _("指定訪問先"),
        _("状態コード"),
        _("状態"),
        _("統合先ID"),
        _("出典"),
        _("登録日時"),
        _("更新日時"),
    ]


EXPORT_COLUMNS = (
    "pk",
    "corporate_number",
    "name",
    "name_kana",
    "legal_form__code",
    "legal_form__label_ja",
    "legal_form__label_en",
    "postal_code",
    "municipality__code",
    "municipality__prefecture__name",
    "municipality__name",
    "address",
    "industry__code",
    "industry__name",
    "business_form__code",
    "business_form__label_ja",
    "business_form__label_en",
    "employees_band__code",
    "employees_band__label_ja",
    "employees_band__label_en",
    "revenue_band__code",
    "revenue_band__label_ja",
    "revenue_band__label_en",
    "website",
    "is_designated",
    "status",
    "merged_into_id",
    "sources",
    "created_at",
    "updated_at",
)


def company_rows(queryset: QuerySet[Company]) -> Iterator[list]:
    """One row per company, in the order of `export_header()` (expects `is_designated` annotated).

    Read as plain tuples (no model instances) so that tens of thousands of rows export quickly.
    """
    english = translation.get_language() == "en"
    source_labels = {code: str(label) for code, label in CompanySource.choices}
    status_labels = {code: str(label) for code, label in CompanyStatus.choices}

    def label(ja, en):
        return (en or ja or "") if english else (ja or "")

    rows = queryset.values_list(*EXPORT_COLUMNS)
    for (
        pk,
        corporate_number,
        name,
        name_kana,
        legal_code,
        legal_ja,
        legal_en,
        postal_code,
        municipality_code,
        prefecture_name,
        municipality_name,
        address,
        industry_code,
        industry_name,
        form_code,
        form_ja,
        form_en,
        employees_code,
        employees_ja,
        employees_en,
        revenue_code,
        revenue_ja,
        revenue_en,
        website,
        is_designated,
        status,
        merged_into_id,
        sources,
        created_at,
        updated_at,
    ) in rows.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            pk,
            corporate_number or "",
            name,
            name_kana,
            legal_code or "",
            label(legal_ja, legal_en),
            postal_code,
            municipality_code or "",
            prefecture_name or "",
            municipality_name or "",
            address,
            industry_code or "",
            industry_name or "",
            form_code or "",
            label(form_ja, form_en),
            employees_code or "",
            label(employees_ja, employees_en),
            revenue_code or "",
            label(revenue_ja, revenue_en),
            website,
            "1" if is_designated else "0",
            status,
            status_labels.get(status, status),
            merged_into_id or "",
            "、".join(source_labels.get(s, s) for s in sources or []),
            created_at,
            updated_at,
        ]


def company_export_response(queryset: QuerySet[Company], *, fmt: str, user, programme: Programme | None):
    """The download of `queryset` (already filtered and narrowed to `user`) as CSV or XLSX."""
    queryset = with_designation(queryset, programme)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{_('企業等')}_{stamp}.{fmt}"
    from kakehashi.privacy.choices import AccessAction
    from kakehashi.privacy.services import access_record

    access_record(actor=user, action=AccessAction.REGISTRY_EXPORT, target=programme, detail={"format": fmt})
    if fmt == "csv":
        return csv_response(company_rows(queryset), export_header(), filename=filename)
    return xlsx_response(company_rows(queryset), export_header(), filename=filename, sheet_title=_("企業等"))
