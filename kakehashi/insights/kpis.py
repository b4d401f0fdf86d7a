"""Progress figures of a programme: one function computes them for the dashboard and the API.

Every figure is an aggregate query in the database: one rollup over the counted visits grouped by
company (totals, designated coverage, the breakdowns and each company's first hearing date, see
`company_rollup`), and COUNT DISTINCT grouped by visit format and by communicator. Python only
labels the grouped rows with the code lists and adds up at most one row per day into ISO weeks.
Each figure's definition is in `DEFINITIONS`, shown on the page and returned by the API.

Caching: the computed figures (and the dashboard's rendered figures) are kept in the process's
cache for `cache_seconds()` (60 s by default; off in tests unless the setting
`KAKEHASHI_PROGRESS_CACHE_SECONDS` is given). The cache key carries the programme's
`ProgressVersion`, bumped by every saved or deleted visit report or designation, so those show at
once in every worker; writes that bypass the models (bulk imports) and corrected company
attributes show within the TTL. The page states this.
"""

import datetime
import math
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.choices import Role
from kakehashi.accounts.models import User
from kakehashi.companies.models import Company
from kakehashi.core.plain_sql import plain_rows
from kakehashi.outreach.models import DesignatedCompany, Programme, ProgrammeMembership
from kakehashi.reference.choices import CodeList, IndustryLevel, MunicipalityKind
from kakehashi.reference.models import CodeItem, Industry, Municipality, Region

from .selectors import counted_visits

# The current pace is the average of the last PACE_WEEKS completed ISO weeks.
PACE_WEEKS = 4
UNSET = ""  # the code of the 「未設定」 row of a breakdown

DEFINITIONS: dict[str, Any] = {
    "distinct_companies": _(
        "提出済・承認済の訪問報告がある企業等の数。外訪形態（訪問・セミナー・オンライン）や訪問回数にかかわらず"
        "1社は1と数えます。下書き・差戻し中の報告は数えません。"
    ),
    "visits": _("提出済・承認済の訪問報告の件数。同じ企業への2回目以降の訪問も1件ずつ数えます。"),
    "formats": _(
        "外訪形態ごとの訪問報告の件数と、その形態でヒアリングした企業数。複数の形態でヒアリングした企業は"
        "それぞれの形態で数えるため、企業数の合計は全体の企業数を超えることがあります。"
    ),
    "designated": _("県の指定訪問先のうち、この事業で提出済・承認済の訪問報告がある企業の数 ／ 指定訪問先の数。"),
    "region": _(
        "企業の市区町村が属する地域（県が設定した市町村のグループ）ごとの、ヒアリング済み企業数と訪問報告件数。"
        "属性は企業台帳の現在の値（訪問時に確認・修正した値）です。"
    ),
    "municipality": _(
        "企業台帳の市区町村ごとの、ヒアリング済み企業数と訪問報告件数。県内の市町村は件数0でも表示します。"
    ),
    "industry": _(
        "日本標準産業分類の大分類（台帳に中分類がある企業はその大分類）ごとの、ヒアリング済み企業数と訪問報告件数。"
    ),
    "business_form": _("企業台帳の業態ごとの、ヒアリング済み企業数と訪問報告件数。"),
    "size": _("企業台帳の従業員規模ごとの、ヒアリング済み企業数と訪問報告件数。"),
    "communicators": _(
        "訪問報告の担当コミュニケータごとの、ヒアリングした企業数・訪問報告件数・今週（月曜から今日まで）の件数。"
        "複数人で担当した訪問はそれぞれに数えます。"
    ),
    "burnup": _(
        "ISO週（月曜始まり）ごとに、その週に初めてヒアリングした企業数と、事業開始からの累計（＝ヒアリング済み"
        "企業数）。"
    ),
    "required_pace": _("目標までの残り企業数 ÷ 今日から事業終了日までの日数（今日を含む）× 7。1週間あたりの企業数。"),
    "current_pace": _(
        "直近{weeks}週（今週を除く、完了した週）に初めてヒアリングした企業数の週平均。完了した週が{weeks}週に"
        "満たないときは完了した週すべての平均。"
    ),
    "forecast": _(
        "今日 ＋ 残り企業数 ÷ 現在のペース × 7日（直線で延ばした見込み）。現在のペースが0のときは見込みを出しません。"
    ),
    "cache": _(
        "集計値は最長{seconds}秒間保持して再利用します。訪問報告と指定訪問先の登録・変更は保持中でもすぐに反映され、"
        "企業台帳の属性の修正や一括取込は{seconds}秒以内に反映されます。"
    ),
}


def plan_quotas_for(programme: Programme) -> dict[str, dict[str, int]] | None:
    """The approved visit plan's quota per breakdown row: {"region": {code: quota}, …}, or None.

    The quotas come from the programme's approved visit plan (`kakehashi.planning`): its region ×
    industry quotas summed per region and per JSIC 大分類, and its business-form quotas. Until a plan
    is approved there are no quotas and the dashboard shows no quota column.
    """
    from kakehashi.planning.selectors import approved_quotas

    return approved_quotas(programme)


def cache_seconds() -> int:
    configured = getattr(settings, "KAKEHASHI_PROGRESS_CACHE_SECONDS", None)
    if configured is not None:
        return int(configured)
    return 0 if getattr(settings, "TESTING", False) else 60


def definitions() -> dict[str, str]:
    """The definitions as plain strings, with their parameters filled in."""
    seconds = cache_seconds()
    return {
        key: str(text).format(weeks=PACE_WEEKS, seconds=seconds) if "{" in str(text) else str(text)
        for key, text in DEFINITIONS.items()
    }


def progress_version(programme_id: int) -> int:
    """The programme's `ProgressVersion` (0 before the first change): part of every cache key over its visits."""
    from .models import ProgressVersion

    # Read by every dashboard and visit-list request.
    rows = plain_rows(ProgressVersion, "SELECT version FROM {table} WHERE programme_id = %s", [programme_id])
    return rows[0][0] if rows else 0


def progress_cache_key(programme: Programme, today: datetime.date) -> str | None:
    """The cache key of the programme's figures as of `today`, or None when caching is off.

    The key carries the programme's `ProgressVersion` (bumped by every saved or deleted visit
    report and designation, see signals.py), so a change shows at once in every worker process;
    reading it is one primary-key lookup.
    """
    if cache_seconds() <= 0:
        return None
    parts = (
        "insights:progress:v2",
        programme.pk,
        progress_version(programme.pk),
        programme.target_count,
        programme.start_date,
        programme.end_date,
        today,
        translation.get_language(),
    )
    return ":".join(str(part) for part in parts)


_KEY_NOT_GIVEN: Any = object()


def progress_for(
    programme: Programme, *, today: datetime.date | None = None, key: str | None = _KEY_NOT_GIVEN
) -> dict[str, Any]:
    """The programme's progress figures, from the cache when the counted visits have not changed."""
    today = today or timezone.localdate()
    if key is _KEY_NOT_GIVEN:
        key = progress_cache_key(programme, today)
    if key is None:
        return compute_progress(programme, today=today)
    return cache.get_or_set(key, lambda: compute_progress(programme, today=today), cache_seconds())


def compute_progress(programme: Programme, *, today: datetime.date) -> dict[str, Any]:
    """Compute every figure of the dashboard for `programme` as of `today` (a fixed handful of queries)."""
    visits = counted_visits(programme)
    week_start = week_monday(today)
    rollup = company_rollup(programme, visits, week_start=week_start, today=today)
    quotas = plan_quotas_for(programme) or {}
    codes = code_items_of([CodeList.VISIT_FORMAT, CodeList.BUSINESS_FORM, CodeList.EMPLOYEES])
    target = programme.target_count
    companies = rollup["companies"]
    designated_total, designated_covered = rollup["designated_total"], rollup["designated_covered"]
    return {
        "programme": {
            "code": programme.code,
            "name": programme.name,
            "target_count": target,
            "start_date": programme.start_date,
            "end_date": programme.end_date,
        },
        "as_of": today,
        "computed_at": timezone.now(),
        "headline": {
            "distinct_companies": companies,
            "target": target,
            "remaining": max(target - companies, 0),
            "progress_percent": round(companies * 100 / target, 1) if target else None,
            "visits": rollup["visits"],
            "visits_this_week": rollup["visits_this_week"],
        },
        "designated": {
            "covered": designated_covered,
            "total": designated_total,
            "percent": round(designated_covered * 100 / designated_total, 1) if designated_total else None,
        },
        "formats": code_rows(
            codes[CodeList.VISIT_FORMAT], grouped_rows(visits, "visit_format_id"), quotas.get("format")
        ),
        "breakdowns": {
            "region": region_rows(programme, rollup["municipality"], quotas.get("region")),
            "municipality": _municipality_rows(programme, rollup["municipality"], quotas.get("municipality")),
            "industry": industry_rows(rollup["industry"], quotas.get("industry")),
            "business_form": code_rows(
                codes[CodeList.BUSINESS_FORM], rollup["business_form"], quotas.get("business_form")
            ),
            "size": code_rows(codes[CodeList.EMPLOYEES], rollup["employees_band"], quotas.get("size")),
        },
        "has_quotas": bool(quotas),
        "communicators": communicator_rows(programme, visits, week_start, today),
        "burnup": _burnup(programme, rollup["first_hearings"], today, companies),
    }


# Company attributes the breakdowns group by (the registry's current values).
ROLLUP_ATTRIBUTES = ("municipality", "industry", "business_form", "employees_band")


def company_rollup(programme: Programme, visits, *, week_start: datetime.date, today: datetime.date) -> dict:
    """Everything that is counted per company, in one query over the counted visits.

    A CTE groups the visits by company once (visits, first date, visits this week — the ORM's SQL),
    then UNION ALL branches count those rows: in total, against the designated list, per company
    attribute, and per first date. Each row of the CTE is one distinct company, so no branch needs
    COUNT(DISTINCT …). The outer SQL is written here because the ORM cannot aggregate over an
    aggregate; it uses only table and column names from the models and bound parameters, and runs
    on SQLite and PostgreSQL alike.
    """
    per_company = (
        visits.values(cid=F("company_id"))
        .annotate(
            n=Count("pk"),
            first_date=Min("visit_date"),
            n_week=Count("pk", filter=Q(visit_date__gte=week_start, visit_date__lte=today)),
        )
        .values("cid", "n", "first_date", "n_week")
    )
    inner_sql, inner_params = per_company.query.sql_with_params()
    connection = connections[visits.db]
    quote = connection.ops.quote_name
    company_table = quote(Company._meta.db_table)
    designated_table = quote(DesignatedCompany._meta.db_table)
    designated_company = quote(DesignatedCompany._meta.get_field("company").column)
    designated_programme = quote(DesignatedCompany._meta.get_field("programme").column)
    company_pk = quote(Company._meta.pk.column)
    # Identifiers come from the models' metadata (quoted), values are bound parameters: S608 does not apply.
    # NULLs are typed so PostgreSQL can match the UNION's column types (SQLite ignores the casts).
    no_key, no_day, no_count = "CAST(NULL AS BIGINT)", "CAST(NULL AS DATE)", "CAST(NULL AS BIGINT)"
    branches = [
        f"SELECT 'total', {no_key}, {no_day}, COUNT(*), SUM(pc.n), SUM(pc.n_week) FROM pc",  # noqa: S608
        f"SELECT 'designated_total', {no_key}, {no_day}, COUNT(*), {no_count}, {no_count} "  # noqa: S608
        f"FROM {designated_table} d WHERE d.{designated_programme} = %s",
        f"SELECT 'designated_covered', {no_key}, {no_day}, COUNT(*), {no_count}, {no_count} "  # noqa: S608
        f"FROM {designated_table} d INNER JOIN pc ON pc.cid = d.{designated_company} "
        f"WHERE d.{designated_programme} = %s",
    ]
    for name in ROLLUP_ATTRIBUTES:
        column = quote(Company._meta.get_field(name).column)
        branches.append(
            f"SELECT '{name}', c.{column}, {no_day}, COUNT(*), SUM(pc.n), {no_count} "  # noqa: S608
            f"FROM pc INNER JOIN {company_table} c ON c.{company_pk} = pc.cid GROUP BY c.{column}"
        )
    branches.append(
        f"SELECT 'first', {no_key}, pc.first_date, COUNT(*), {no_count}, {no_count} "  # noqa: S608
        "FROM pc GROUP BY pc.first_date"
    )
    sql = f"WITH pc AS ({inner_sql}) " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, programme.pk, programme.pk])
        rows = cursor.fetchall()

    result: dict[str, Any] = {name: {} for name in ROLLUP_ATTRIBUTES}
    result.update(companies=0, visits=0, visits_this_week=0, designated_total=0, designated_covered=0)
    result["first_hearings"] = {}
    for kind, key, day, n_companies, n_visits, n_week in rows:  # one row per group, never per visit
        if kind == "total":
            result.update(companies=n_companies, visits=int(n_visits or 0), visits_this_week=int(n_week or 0))
        elif kind in ("designated_total", "designated_covered"):
            result[kind] = n_companies
        elif kind == "first":
            result["first_hearings"][datetime.date.fromisoformat(day) if isinstance(day, str) else day] = n_companies
        else:
            result[kind][key] = (n_companies, int(n_visits))
    return result


# --- grouping helpers -----------------------------------------------------------------------


def grouped_rows(visits, key: str) -> dict[Any, tuple[int, int]]:
    """{group key: (distinct companies, visits)} — one GROUP BY query on a foreign-key column.

    Grouping on the id (not the code) avoids joining the reference tables; the few groups are
    labelled afterwards. Company attributes are single-valued, so the groups partition the
    companies and distinct counts of groups may be added up (regions from municipalities, JSIC
    大分類 from 中分類).
    """
    rows = (
        visits.values(group=F(key))
        .annotate(companies=Count("company", distinct=True), visits=Count("pk"))
        .values_list("group", "companies", "visits")
    )
    return {group: (n_companies, n_visits) for group, n_companies, n_visits in rows}


def code_rows(items: list[CodeItem], grouped_by_id: dict, quotas: dict | None) -> list[dict]:
    return _rows([(i.code, i.label) for i in items], _rekey(grouped_by_id, {i.pk: i.code for i in items}), quotas)


def _rows(labels: list[tuple[Any, str]], grouped: dict, quotas: dict | None) -> list[dict]:
    """One row per code in list order (zeros included), then groups not in the list, then 未設定."""
    rows = []
    known = set()
    for code, label in labels:
        known.add(code)
        n_companies, n_visits = grouped.get(code, (0, 0))
        rows.append(_row(code, label, n_companies, n_visits, quotas))
    other_companies = other_visits = 0
    for code, (n_companies, n_visits) in grouped.items():
        if code not in known:
            other_companies += n_companies
            other_visits += n_visits
    if other_companies or other_visits:
        rows.append(_row(UNSET, str(_("未設定・その他")), other_companies, other_visits, quotas))
    return rows


def _row(code, label, n_companies: int, n_visits: int, quotas: dict | None) -> dict:
    return {
        "code": "" if code is None else str(code),
        "label": label,
        "companies": n_companies,
        "visits": n_visits,
        "quota": (quotas or {}).get(str(code)) if quotas else None,
    }


def code_items_of(lists: list[str]) -> dict[str, list[CodeItem]]:
    items: dict[str, list[CodeItem]] = {name: [] for name in lists}
    for item in CodeItem.objects.filter(list__in=lists).order_by("list", "order", "code"):
        items[item.list].append(item)
    return items


def region_rows(programme: Programme, by_municipality: dict, quotas) -> list[dict]:
    """Regions from the municipality groups: a municipality belongs to one region of its prefecture."""
    regions = list(Region.objects.filter(prefecture_id=programme.prefecture_id, active=True).order_by("order", "code"))
    region_code = {r.pk: r.code for r in regions}
    municipality_region = {
        municipality_id: region_code[region_id]
        for region_id, municipality_id in Region.municipalities.through.objects.filter(
            region_id__in=region_code
        ).values_list("region_id", "municipality_id")
    }
    return _rows([(r.code, r.name) for r in regions], _rekey(by_municipality, municipality_region), quotas)


def _municipality_rows(programme: Programme, by_id: dict, quotas) -> list[dict]:
    seen = [pk for pk in by_id if pk is not None]
    municipalities = Municipality.objects.filter(
        (Q(prefecture_id=programme.prefecture_id, active=True) & ~Q(kind=MunicipalityKind.WARD)) | Q(pk__in=seen)
    ).order_by("code")
    municipalities = list(municipalities.only("pk", "code", "name"))
    return _rows(
        [(m.code, m.name) for m in municipalities],
        _rekey(by_id, {m.pk: m.code for m in municipalities}),
        quotas,
    )


def industry_rows(by_industry: dict, quotas) -> list[dict]:
    """JSIC 大分類 from the groups by the company's industry (a 中分類, or a 大分類 itself)."""
    industries = list(Industry.objects.only("pk", "code", "level", "parent_id", "name", "order", "active"))
    by_pk = {i.pk: i for i in industries}
    major_code = {i.pk: (by_pk[i.parent_id].code if i.parent_id else i.code) for i in industries}
    majors = sorted(
        (i for i in industries if i.level == IndustryLevel.MAJOR and i.active), key=lambda i: (i.order, i.code)
    )
    return _rows([(i.code, i.name) for i in majors], _rekey(by_industry, major_code), quotas)


def _rekey(grouped: dict, codes: dict) -> dict:
    """Map grouped rows keyed by pk to codes; unknown keys are merged under None (→ 未設定・その他)."""
    result: dict[Any, tuple[int, int]] = {}
    for pk, (n_companies, n_visits) in grouped.items():
        code = codes.get(pk)
        before = result.get(code, (0, 0))
        result[code] = (before[0] + n_companies, before[1] + n_visits)
    return result


def communicator_rows(programme: Programme, visits, week_start, today) -> list[dict]:
    grouped = {
        user_id: (n_companies, n_visits, n_week)
        for user_id, n_companies, n_visits, n_week in visits.values("communicators")
        .annotate(
            companies=Count("company", distinct=True),
            visits=Count("pk"),
            this_week=Count("pk", filter=Q(visit_date__gte=week_start, visit_date__lte=today)),
        )
        .values_list("communicators", "companies", "visits", "this_week")
    }
    ids = [pk for pk in grouped if pk is not None]
    is_communicator = ProgrammeMembership.objects.filter(
        user=OuterRef("pk"), programme=programme, role=Role.COMMUNICATOR
    )
    users = (
        User.objects.filter(Q(pk__in=ids) | Q(Exists(is_communicator)))
        .order_by("username")
        .only("pk", "username", "display_name", "first_name", "last_name")
    )
    rows = []
    for user in users:
        n_companies, n_visits, n_week = grouped.get(user.pk, (0, 0, 0))
        rows.append(
            {
                "username": user.username,
                "name": str(user),
                "companies": n_companies,
                "visits": n_visits,
                "visits_this_week": n_week,
            }
        )
    if None in grouped:
        n_companies, n_visits, n_week = grouped[None]
        rows.append(
            {
                "username": "",
                "name": str(_("担当者未設定")),
                "companies": n_companies,
                "visits": n_visits,
                "visits_this_week": n_week,
            }
        )
    return rows


# --- burn-up and pace -----------------------------------------------------------------------


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _burnup(
    programme: Programme, first_hearings: dict[datetime.date, int], today: datetime.date, companies: int
) -> dict[str, Any]:
    first_week = week_monday(programme.start_date)
    last_week = week_monday(programme.end_date)
    current_week = week_monday(min(today, programme.end_date))
    by_week: dict[datetime.date, int] = {}
    for day, n in first_hearings.items():  # at most one row per day of the year
        by_week[week_monday(day)] = by_week.get(week_monday(day), 0) + n
    target = programme.target_count

    weeks = []
    cumulative = 0
    week = first_week
    # Hearings dated before the programme's first week count in its first week.
    cumulative += sum(n for w, n in by_week.items() if w < first_week)
    while week <= last_week:
        new = by_week.get(week, 0)
        cumulative += new
        elapsed = week <= current_week
        iso = week.isocalendar()
        weeks.append(
            {
                "week_start": week,
                "iso_year": iso[0],
                "iso_week": iso[1],
                "new_companies": new if elapsed else None,
                "cumulative": cumulative if elapsed else None,
            }
        )
        week += datetime.timedelta(days=7)

    # Pace: completed weeks are those before the current one (all of them once the programme ended).
    completed = [w for w in weeks if w["week_start"] < week_monday(today) and w["new_companies"] is not None]
    recent = completed[-PACE_WEEKS:]
    current_pace = sum(w["new_companies"] for w in recent) / len(recent) if recent else None
    remaining = max(target - companies, 0)
    days_left = (programme.end_date - today).days + 1
    if remaining == 0:
        required_pace = 0.0
    elif days_left > 0:
        required_pace = remaining / days_left * 7
    else:
        required_pace = None
    forecast_date = None
    if remaining > 0 and current_pace:
        forecast_date = today + datetime.timedelta(days=math.ceil(remaining / current_pace * 7))

    # Projection lines for the chart: from the current week to the programme's last week.
    for w in weeks:
        w["required_line"] = None
        w["forecast_line"] = None
        if w["week_start"] >= current_week:
            steps = (w["week_start"] - current_week).days / 7
            weeks_to_end = max((last_week - current_week).days / 7, 1)
            if required_pace is not None and remaining > 0:
                w["required_line"] = round(companies + remaining * min(steps / weeks_to_end, 1), 1)
            if current_pace is not None:
                w["forecast_line"] = round(companies + current_pace * steps, 1)

    return {
        "weeks": weeks,
        "pace_weeks": PACE_WEEKS,
        "pace_weeks_used": len(recent),
        "current_pace_per_week": round(current_pace, 2) if current_pace is not None else None,
        "required_pace_per_week": round(required_pace, 2) if required_pace is not None else None,
        "remaining": remaining,
        "days_left": max(days_left, 0),
        "reached_target": remaining == 0,
        "forecast_date": forecast_date,
        "forecast_within_period": forecast_date <= programme.end_date if forecast_date else None,
    }
