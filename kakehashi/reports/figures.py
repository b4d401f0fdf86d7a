"""The figures of a periodic report, computed with the dashboard's own queries for a date range.

The progress dashboard (`insights.kpis`) counts the programme's counted visits (submitted or
accepted) grouped by company; a report runs the same rollup twice — once over the visits dated in
the period ("この期間") and once over every visit up to the period's last day ("期末累計") — so a
report for the whole fiscal year, built after its last visit, shows exactly the dashboard's
figures (tested). Breakdowns use the company's current registry attributes, as the dashboard does.

No contact details (氏名・連絡先) and no free-text summaries are part of a report: the visit list
carries the company, its coded attributes and the coded hearing results only.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kakehashi.insights.kpis import (
    code_items_of,
    code_rows,
    communicator_rows,
    company_rollup,
    definitions,
    grouped_rows,
    industry_rows,
    plan_quotas_for,
    region_rows,
    week_monday,
)
from kakehashi.insights.selectors import counted_visits
from kakehashi.outreach.models import DesignatedCompany, Programme, Visit
from kakehashi.reference.choices import CodeList

from .choices import PeriodKind
from .periods import Period

BREAKDOWNS = (
    ("region", gettext_lazy("地域別")),
    ("industry", gettext_lazy("業種別（日本標準産業分類 大分類）")),
    ("business_form", gettext_lazy("業態別")),
    ("size", gettext_lazy("従業員規模別")),
)
# Coded hearing results counted per visit (multi-valued: M2M) or per visit's single value (FK).
HEARING_LISTS = (
    ("challenge", CodeList.CHALLENGE, "challenges"),
    ("barrier", CodeList.BARRIER, "barriers"),
    ("digital_stage", CodeList.DIGITAL_STAGE, "digital_stage_id"),
    ("interest_level", CodeList.INTEREST_LEVEL, "interest_level_id"),
    ("introduction", CodeList.INTRODUCTION, "introductions"),
    ("outcome", CodeList.OUTCOME, "outcomes"),
)
HEARING_TITLES = {
    "challenge": gettext_lazy("課題カテゴリ"),
    "barrier": gettext_lazy("DXを進めるうえでの障壁"),
    "digital_stage": gettext_lazy("デジタル化の段階"),
    "interest_level": gettext_lazy("関心度"),
    "introduction": gettext_lazy("紹介内容"),
    "outcome": gettext_lazy("勧誘成果"),
}

Progress = Callable[[str], None]


def report_figures(
    programme: Programme, period: Period, *, today: datetime.date | None = None, on_step: Progress | None = None
) -> dict[str, Any]:
    """Every figure, table and series of the report for `programme` and `period`.

    `today` (default: the local date) only decides whether the period is complete ("as of") and
    which weeks of the trend lie in the future; it never changes a count of a past day.
    """
    step = on_step or (lambda _name: None)
    today = today or timezone.localdate()
    as_of = min(period.end, today)
    all_visits = counted_visits(programme)
    in_period = all_visits.filter(visit_date__gte=period.start, visit_date__lte=period.end)
    to_end = all_visits.filter(visit_date__lte=period.end)
    week_start = week_monday(as_of)

    step(_("期間の集計"))
    period_rollup = company_rollup(programme, in_period, week_start=week_start, today=as_of)
    cumulative = company_rollup(programme, to_end, week_start=week_start, today=as_of)
    quotas = plan_quotas_for(programme) or {}
    codes = code_items_of([CodeList.VISIT_FORMAT, CodeList.BUSINESS_FORM, CodeList.EMPLOYEES])
    new_companies = sum(n for day, n in cumulative["first_hearings"].items() if period.start <= day <= period.end)
    summary = _summary(programme, period, period_rollup, cumulative, new_companies)

    step(_("内訳"))
    breakdowns = {
        "region": _merge(
            region_rows(programme, period_rollup["municipality"], quotas.get("region")),
            region_rows(programme, cumulative["municipality"], quotas.get("region")),
        ),
        "industry": _merge(
            industry_rows(period_rollup["industry"], quotas.get("industry")),
            industry_rows(cumulative["industry"], quotas.get("industry")),
        ),
        "business_form": _merge(
            code_rows(codes[CodeList.BUSINESS_FORM], period_rollup["business_form"], quotas.get("business_form")),
            code_rows(codes[CodeList.BUSINESS_FORM], cumulative["business_form"], quotas.get("business_form")),
        ),
        "size": _merge(
            code_rows(codes[CodeList.EMPLOYEES], period_rollup["employees_band"], quotas.get("size")),
            code_rows(codes[CodeList.EMPLOYEES], cumulative["employees_band"], quotas.get("size")),
        ),
    }
    formats = _merge(
        code_rows(codes[CodeList.VISIT_FORMAT], grouped_rows(in_period, "visit_format_id"), quotas.get("format")),
        code_rows(codes[CodeList.VISIT_FORMAT], grouped_rows(to_end, "visit_format_id"), quotas.get("format")),
    )
    communicators = [
        {key: row[key] for key in ("username", "name", "companies", "visits")}
        for row in communicator_rows(programme, in_period, week_start, as_of)
    ]

    step(_("課題と紹介・連携"))
    hearing = _hearing_counts(in_period)
    referrals = referral_figures(programme, period)

    step(_("推移"))
    trend = _trend(programme, period, in_period, cumulative["first_hearings"], today)

    step(_("訪問一覧"))
    visit_rows = visit_list(programme, in_period)

    return {
        "programme": {
            "code": programme.code,
            "name": programme.name,
            "prefecture": str(programme.prefecture),
            "fiscal_year_label": programme.fiscal_year_label,
            "start_date": programme.start_date,
            "end_date": programme.end_date,
            "target_count": programme.target_count,
        },
        "period": {
            "key": period.key,
            "kind": period.kind,
            "label": period.label,
            "wareki_label": period.wareki_label,
            "range_label": period.range_label,
            "wareki_range_label": period.wareki_range_label,
            "start": period.start,
            "end": period.end,
            "complete": today > period.end,
        },
        "as_of": as_of,
        "generated_at": timezone.localtime(),
        "summary": summary,
        "formats": formats,
        "breakdowns": breakdowns,
        "breakdown_titles": {key: str(title) for key, title in BREAKDOWNS},
        "has_quotas": bool(quotas),
        "communicators": communicators,
        "hearing": hearing,
        "hearing_titles": {key: str(title) for key, title in HEARING_TITLES.items()},
        "referrals": referrals,
        "trend": trend,
        "visits": visit_rows,
        "definitions": _report_definitions(),
    }


def _summary(programme: Programme, period: Period, period_rollup: dict, cumulative: dict, new: int) -> dict:
    target = programme.target_count
    companies = cumulative["companies"]
    planned = planned_cumulative(programme, period.end)
    designated_total = cumulative["designated_total"]
    return {
        "companies": period_rollup["companies"],
        "visits": period_rollup["visits"],
        "new_companies": new,
        "designated_in_period": period_rollup["designated_covered"],
        "cumulative_companies": companies,
        "cumulative_visits": cumulative["visits"],
        "target": target,
        "remaining": max(target - companies, 0),
        "progress_percent": round(companies * 100 / target, 1) if target else None,
        "planned_cumulative": planned,
        "versus_plan": companies - planned if planned is not None else None,
        "designated_covered": cumulative["designated_covered"],
        "designated_total": designated_total,
        "designated_percent": (
            round(cumulative["designated_covered"] * 100 / designated_total, 1) if designated_total else None
        ),
    }


def summary_rows(summary: dict) -> list[list]:
    """The summary table of both formats: [label, value, unit] per row."""

    def percent(value):
        return f"{value}%" if value is not None else "—"

    s = summary
    return [
        [_("ヒアリング済み企業数（この期間）"), s["companies"], _("社")],
        [_("うち新規（この事業で初めて）"), s["new_companies"], _("社")],
        [_("訪問報告件数（この期間）"), s["visits"], _("件")],
        [_("ヒアリング済み企業数（期末累計）"), s["cumulative_companies"], _("社")],
        [_("達成目標件数"), s["target"], _("社")],
        [_("達成率（期末累計 ÷ 目標）"), percent(s["progress_percent"]), ""],
        [_("目標まであと"), s["remaining"], _("社")],
        [_("計画上の累計（期末時点）"), s["planned_cumulative"], _("社")],
        [_("計画との差（期末累計 − 計画）"), s["versus_plan"], _("社")],
        [_("訪問報告件数（期末累計）"), s["cumulative_visits"], _("件")],
        [_("指定訪問先のカバー（期末累計）"), s["designated_covered"], _("社")],
        [_("指定訪問先の数"), s["designated_total"], _("社")],
        [_("指定訪問先のカバー率"), percent(s["designated_percent"]), ""],
    ]


def planned_cumulative(programme: Programme, day: datetime.date) -> int | None:
    """Companies the target calls for by `day`: the target spread evenly over the programme's days.

    Used as the plan line until an approved visit plan provides its own schedule.
    """
    total_days = (programme.end_date - programme.start_date).days + 1
    if total_days <= 0:
        return None
    elapsed = (min(max(day, programme.start_date - datetime.timedelta(days=1)), programme.end_date)).toordinal()
    elapsed_days = elapsed - programme.start_date.toordinal() + 1
    return round(programme.target_count * max(elapsed_days, 0) / total_days)


def _merge(period_rows: list[dict], cumulative_rows: list[dict]) -> list[dict]:
    """Period rows with the cumulative companies of the same code beside them."""
    cumulative = {row["code"]: row for row in cumulative_rows}
    merged = []
    for row in period_rows:
        other = cumulative.pop(row["code"], None)
        merged.append(
            {
                **row,
                "cumulative_companies": other["companies"] if other else 0,
                "cumulative_visits": other["visits"] if other else 0,
            }
        )
    for row in cumulative.values():  # 未設定・その他 only up to the period's end
        merged.append(
            {
                **row,
                "companies": 0,
                "visits": 0,
                "cumulative_companies": row["companies"],
                "cumulative_visits": row["visits"],
            }
        )
    return merged


def _hearing_counts(visits) -> dict[str, list[dict]]:
    """Per code list: every active code (zeros included) with the visits and companies that named it."""
    lists = [code_list for _key, code_list, _field in HEARING_LISTS]
    items = code_items_of(lists)
    visit_ids = visits.values("pk")
    result: dict[str, list[dict]] = {}
    total_visits = visits.count()
    for key, code_list, field in HEARING_LISTS:
        if field.endswith("_id"):
            grouped = {
                code_id: (n_companies, n_visits)
                for code_id, n_companies, n_visits in visits.values(code=F(field))
                .annotate(companies=Count("company", distinct=True), visits=Count("pk"))
                .values_list("code", "companies", "visits")
            }
        else:
            through = Visit._meta.get_field(field).remote_field.through
            grouped = {
                code_id: (n_companies, n_visits)
                for code_id, n_companies, n_visits in through.objects.filter(visit_id__in=visit_ids)
                .values("codeitem_id")
                .annotate(companies=Count("visit__company", distinct=True), visits=Count("visit_id"))
                .values_list("codeitem_id", "companies", "visits")
                .order_by()
            }
        rows = []
        for item in items[code_list]:
            n_companies, n_visits = grouped.get(item.pk, (0, 0))
            if not item.active and not n_visits:
                continue
            rows.append(
                {
                    "code": item.code,
                    "label": item.label,
                    "companies": n_companies,
                    "visits": n_visits,
                    "share": round(n_visits * 100 / total_visits, 1) if total_visits else None,
                }
            )
        if field.endswith("_id") and None in grouped:
            n_companies, n_visits = grouped[None]
            rows.append(
                {
                    "code": "",
                    "label": _("未回答"),
                    "companies": n_companies,
                    "visits": n_visits,
                    "share": round(n_visits * 100 / total_visits, 1) if total_visits else None,
                }
            )
        result[key] = rows
    return result


def referral_figures(programme: Programme, period: Period) -> dict[str, Any]:
    """The referral funnel of the period from the sharing app, or `available=False` without it."""
    try:
        from kakehashi.sharing.selectors import referral_funnel, referrals_in_period
    except ImportError:
        return {"available": False, "funnel": [], "in_period": 0}
    funnel = [dict(step) for step in referral_funnel(programme=programme, start=period.start, end=period.end)]
    first = funnel[0]["count"] if funnel else 0
    for step in funnel:
        step["rate"] = round(step["count"] * 100 / first, 1) if first else None
    return {
        "available": True,
        "funnel": funnel,
        "in_period": referrals_in_period(programme=programme, start=period.start, end=period.end).count(),
    }


def _trend(
    programme: Programme, period: Period, in_period, first_hearings: dict[datetime.date, int], today: datetime.date
) -> dict[str, Any]:
    """Weekly (month reports) or monthly (quarter and year reports) new companies, visits and the
    cumulative companies against the plan line; buckets after `today` have no actuals."""
    weekly = period.kind == PeriodKind.MONTH
    buckets = _weekly_buckets(period) if weekly else _monthly_buckets(period)
    visits_by_day = dict(
        in_period.values("visit_date").annotate(n=Count("pk")).values_list("visit_date", "n").order_by()
    )
    before = sum(n for day, n in first_hearings.items() if day < period.start)
    rows = []
    cumulative = before
    for start, end, label in buckets:
        new = sum(n for day, n in first_hearings.items() if start <= day <= end)
        visits = sum(n for day, n in visits_by_day.items() if start <= day <= end)
        cumulative += new
        future = start > today
        rows.append(
            {
                "label": label,
                "start": start,
                "end": end,
                "new_companies": None if future else new,
                "visits": None if future else visits,
                "cumulative": None if future else cumulative,
                "planned": planned_cumulative(programme, end),
            }
        )
    return {"unit": "week" if weekly else "month", "rows": rows}


def _weekly_buckets(period: Period) -> list[tuple[datetime.date, datetime.date, str]]:
    buckets = []
    start = period.start
    while start <= period.end:
        end = min(week_monday(start) + datetime.timedelta(days=6), period.end)
        buckets.append((start, end, f"{start.month}/{start.day}〜{end.month}/{end.day}"))
        start = end + datetime.timedelta(days=1)
    return buckets


def _monthly_buckets(period: Period) -> list[tuple[datetime.date, datetime.date, str]]:
    buckets = []
    start = period.start
    while start <= period.end:
        next_month = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = min(next_month - datetime.timedelta(days=1), period.end)
        buckets.append((start, end, f"{start.year}年{start.month}月"))
        start = next_month
    return buckets


VISIT_COLUMNS = (
    ("visit_date", gettext_lazy("訪問日")),
    ("company", gettext_lazy("企業等")),
    ("corporate_number", gettext_lazy("法人番号")),
    ("designated", gettext_lazy("指定訪問先")),
    ("municipality", gettext_lazy("市区町村")),
    ("industry", gettext_lazy("業種")),
    ("business_form", gettext_lazy("業態")),
    ("size", gettext_lazy("従業員規模")),
    ("format", gettext_lazy("外訪形態")),
    ("communicators", gettext_lazy("担当")),
    ("challenges", gettext_lazy("課題カテゴリ")),
    ("interest", gettext_lazy("関心度")),
    ("outcomes", gettext_lazy("勧誘成果")),
    ("status", gettext_lazy("状態")),
)


def visit_list(programme: Programme, visits) -> list[dict]:
    """The period's counted visits, oldest first: company and coded results, never contact details."""
    designated = set(DesignatedCompany.objects.filter(programme=programme).values_list("company_id", flat=True))
    queryset = (
        visits.select_related(
            "company",
            "company__municipality",
            "company__industry",
            "company__business_form",
            "company__employees_band",
            "visit_format",
            "interest_level",
        )
        .prefetch_related("communicators", "challenges", "outcomes")
        .order_by("visit_date", "pk")
    )
    rows = []
    for visit in queryset:
        company = visit.company
        rows.append(
            {
                "visit_date": visit.visit_date,
                "company": company.name,
                "corporate_number": company.corporate_number or "",
                "designated": _("指定") if company.pk in designated else "",
                "municipality": company.municipality.name if company.municipality else "",
                "industry": company.industry.name if company.industry else "",
                "business_form": company.business_form.label if company.business_form else "",
                "size": company.employees_band.label if company.employees_band else "",
                "format": visit.visit_format.label if visit.visit_format else "",
                "communicators": "、".join(str(u) for u in visit.communicators.all()),
                "challenges": "、".join(c.label for c in sorted(visit.challenges.all(), key=_order)),
                "interest": visit.interest_level.label if visit.interest_level else "",
                "outcomes": "、".join(c.label for c in sorted(visit.outcomes.all(), key=_order)),
                "status": visit.get_status_display(),
            }
        )
    return rows


def _order(item) -> tuple[int, str]:
    return (item.order, item.code)


def _report_definitions() -> dict[str, str]:
    dashboard = definitions()
    return {
        "distinct_companies": dashboard["distinct_companies"],
        "visits": dashboard["visits"],
        "designated": dashboard["designated"],
        "period": _(
            "「この期間」は訪問日が期間内の訪問報告だけを数え、「期末累計」は事業開始から期間の末日までを数えます。"
            "「新規」はこの事業で初めてヒアリングした日が期間内にある企業の数です。"
        ),
        "plan": _(
            "計画上の累計は、達成目標件数を事業期間の日数で按分した、期間の末日時点の企業数です"
            "（承認済みの訪問計画があるときは内訳に計画の割当数も示します）。"
        ),
        "breakdowns": _(
            "内訳は企業台帳の現在の属性で数えます（進捗ダッシュボードと同じ）。"
            "1社はどれか1つの行に入るため、行の合計は企業数に一致します。"
        ),
        "hearing": _(
            "課題カテゴリ・障壁・紹介内容・勧誘成果は複数選択のため、1件の訪問報告が複数の行に数えられます。"
            "割合は期間内の訪問報告件数に対する割合です。"
        ),
        "privacy": _("この報告には担当者の氏名・連絡先などの個人情報と面談概要の自由記述を含めていません。"),
    }


def group_sum(rows: list[dict], key: str) -> int:
    """Sum of `key` over rows (used by tests and the renderers' total rows)."""
    return sum(row.get(key) or 0 for row in rows)
