"""`GET /api/v1/programmes/{code}/progress`: the dashboard's figures as JSON (same computation)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .kpis import definitions, progress_for
from .selectors import progress_programmes_for

router = Router(tags=["progress"])


class ProgrammeRef(Schema):
    code: str
    name: str
    target_count: int
    start_date: datetime.date
    end_date: datetime.date


class Headline(Schema):
    distinct_companies: int
    target: int
    remaining: int
    progress_percent: float | None
    visits: int
    visits_this_week: int


class Designated(Schema):
    covered: int
    total: int
    percent: float | None


class GroupRow(Schema):
    code: str
    label: str
    companies: int
    visits: int
    quota: int | None


class Breakdowns(Schema):
    region: list[GroupRow]
    municipality: list[GroupRow]
    industry: list[GroupRow]
    business_form: list[GroupRow]
    size: list[GroupRow]


class CommunicatorRow(Schema):
    username: str
    name: str
    companies: int
    visits: int
    visits_this_week: int


class BurnupWeek(Schema):
    week_start: datetime.date
    iso_year: int
    iso_week: int
    new_companies: int | None
    cumulative: int | None
    required_line: float | None
    forecast_line: float | None


class Burnup(Schema):
    weeks: list[BurnupWeek]
    pace_weeks: int
    pace_weeks_used: int
    current_pace_per_week: float | None
    required_pace_per_week: float | None
    remaining: int
    days_left: int
    reached_target: bool
    forecast_date: datetime.date | None
    forecast_within_period: bool | None


class ProgressOut(Schema):
    programme: ProgrammeRef
    as_of: datetime.date
    computed_at: datetime.datetime
    headline: Headline
    designated: Designated
    formats: list[GroupRow]
    breakdowns: Breakdowns
    has_quotas: bool
    communicators: list[CommunicatorRow]
    burnup: Burnup
    definitions: dict[str, str]


@router.get(
    "/programmes/{code}/progress",
    response=ProgressOut,
    summary="事業の進捗（ダッシュボードと同じ集計）",
    description="ヒアリング済み企業数（目標比）、外訪形態別、指定訪問先のカバー、地域・市区町村・業種・業態・規模別、"
    "コミュニケータ別、週ごとの累計とペース・見込み。各数値の定義は `definitions` にあります。",
)
def programme_progress(request, code: str):
    programme = get_object_or_404(progress_programmes_for(request.auth), code=code)
    return {**progress_for(programme), "definitions": definitions()}
