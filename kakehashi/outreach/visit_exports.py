"""Exports of the filtered visit list: CSV (UTF-8 with BOM) and XLSX, code and label columns, formula-safe.

No personal information by default: only whether a contact person was recorded. With `include_contacts` (asked
for with a reason, for roles that may see contacts) the contact's name, title, phone and e-mail are added; every
export is recorded in the access log (`kakehashi.privacy`).
Multi-valued codes are written as one cell each for codes and labels, joined with "; ".
"""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.exports import csv_response, xlsx_response

from .models import Programme, Visit

EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_CHUNK = 1000
SEPARATOR = "; "


def export_header() -> list[str]:
    return [
        _("識別子"),
        _("事業コード"),
        _("状態コード"),
        _("状態"),
        _("訪問日"),
        _("開始時刻"),
        _("終了時刻"),
        _("外訪形態コード"),
        _("外訪形態"),
        _("企業等ID"),
        _("法人番号"),
        _("企業等の名称"),
        _("市町村コード"),
        _("市町村"),
        _("従業員規模コード"),
        _("従業員規模"),
        _("業態コード"),
        _("業態"),
        _("売上規模コード"),
        _("売上規模"),
        _("課題カテゴリコード"),
        _("課題カテゴリ"),
        _("障壁コード"),
        _("障壁"),
        _("デジタル化の段階コード"),
        _("デジタル化の段階"),
        _("紹介内容コード"),
        _("紹介内容"),
        _("紹介したコンテンツ"),
        _("勧誘成果コード"),
        _("勧誘成果"),
        _("関心度コード"),
        _("関心度"),
        _("面談概要"),
        _("面談相手の記録"),
        _("機構等への共有同意"),
        _("受託者利用の同意"),
        _("次のアクション"),
        _("フォローアップ日"),
        _("担当コミュニケータ"),
        _("同行者"),
        _("記録者"),
        _("提出日時"),
        _("確認日時"),
        _("更新日時"),
    ]


def contact_header() -> list[str]:
    return [_("面談相手の氏名"), _("面談相手の役職"), _("面談相手の電話番号"), _("面談相手のメールアドレス")]


def _contact_cells(contact) -> list[str]:
    if contact is None:
        return ["", "", "", ""]
    return [contact.name, contact.title, contact.phone, contact.email]


def _code(item) -> str:
    return item.code if item is not None else ""


def _label(item) -> str:
    if item is None:
        return ""
    return getattr(item, "label", None) or item.name


def _many(items) -> tuple[str, str]:
    items = list(items)
    return SEPARATOR.join(i.code for i in items), SEPARATOR.join(i.label for i in items)


def export_queryset(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    return queryset.select_related(
        "programme",
        "company",
        "municipality",
        "visit_format",
        "employees_band",
        "business_form",
        "revenue_band",
        "digital_stage",
        "interest_level",
        "recorded_by",
    ).prefetch_related(
        "challenges",
        "barriers",
        "introductions",
        "outcomes",
        "communicators",
        "companions",
        Prefetch("contents_shown"),
    )


def visit_rows(queryset: QuerySet[Visit], *, include_contacts: bool = False) -> Iterator[list]:
    """One row per visit, in the order of `export_header()` (+ `contact_header()` with `include_contacts`)."""
    queryset = export_queryset(queryset)
    if include_contacts:
        queryset = queryset.select_related("contact")
    for v in queryset.iterator(chunk_size=EXPORT_CHUNK):
        challenges, barriers = _many(v.challenges.all()), _many(v.barriers.all())
        introductions, outcomes = _many(v.introductions.all()), _many(v.outcomes.all())
        company = v.company
        yield [
            str(v.uuid),
            v.programme.code,
            v.status,
            str(v.get_status_display()),
            v.visit_date,
            v.start_time.strftime("%H:%M") if v.start_time else "",
            v.end_time.strftime("%H:%M") if v.end_time else "",
            _code(v.visit_format),
            _label(v.visit_format),
            company.pk if company else "",
            (company.corporate_number or "") if company else "",
            company.name if company else "",
            _code(v.municipality),
            _label(v.municipality),
            _code(v.employees_band),
            _label(v.employees_band),
            _code(v.business_form),
            _label(v.business_form),
            _code(v.revenue_band),
            _label(v.revenue_band),
            *challenges,
            *barriers,
            _code(v.digital_stage),
            _label(v.digital_stage),
            *introductions,
            SEPARATOR.join(c.title for c in v.contents_shown.all()),
            *outcomes,
            _code(v.interest_level),
            _label(v.interest_level),
            v.summary,
            "1" if v.contact_id else "0",
            v.consent_share_foundation,
            v.consent_contractor_use,
            v.next_action,
            v.follow_up_date,
            SEPARATOR.join(str(u) for u in v.communicators.all()),
            SEPARATOR.join(
                [*(str(u) for u in v.companions.all()), *([v.companions_note] if v.companions_note else [])]
            ),
            str(v.recorded_by),
            v.submitted_at,
            v.reviewed_at,
            v.updated_at,
            *(_contact_cells(v.contact) if include_contacts else []),
        ]


def visit_export_response(
    queryset: QuerySet[Visit],
    *,
    fmt: str,
    user,
    programme: Programme | None,
    include_contacts: bool = False,
    reason: str = "",
):
    """The download of `queryset` (already filtered and narrowed to `user`) as CSV or XLSX. Recorded in the access
    log; with `include_contacts` the caller has checked the permission and asked for the reason."""
    from kakehashi.privacy.choices import AccessAction
    from kakehashi.privacy.services import access_record

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{_('訪問報告')}_{stamp}.{fmt}"
    access_record(
        actor=user,
        action=AccessAction.CONTACT_EXPORT if include_contacts else AccessAction.VISIT_EXPORT,
        target=programme,
        reason=reason,
        detail={"format": fmt, "rows": queryset.count(), "contacts": include_contacts},
    )
    header = export_header() + (contact_header() if include_contacts else [])
    rows = visit_rows(queryset, include_contacts=include_contacts)
    if fmt == "csv":
        return csv_response(rows, header, filename=filename)
    return xlsx_response(rows, header, filename=filename, sheet_title=_("訪問報告"))
