"""The visit-plan API: plan versions with their quality report, a version's visits, and the caller's planned day."""

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kakehashi.outreach.selectors import programmes_for

from . import selectors

router = Router(tags=["planning"])
PAGE_SIZE = 100


class PlanOut(Schema):
    id: int
    programme: str
    version: int
    status: str
    run_status: str
    progress_percent: int
    period_start: datetime.date
    period_end: datetime.date
    target: int
    based_on_version: int | None
    solve_seconds: float | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    decision_comment: str
    quality_report: dict[str, Any]

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_based_on_version(obj) -> int | None:
        return obj.based_on.version if obj.based_on_id else None


class PlanVisitOut(Schema):
    company_id: int
    company_name: str
    corporate_number: str | None
    communicator: str | None
    day: datetime.date | None
    order: int
    start_time: datetime.time | None
    end_time: datetime.time | None
    travel_minutes: int
    travel_km: float
    designated: bool
    locked: bool
    fixed: bool
    alternative_kind: str
    alternative_reason: str

    @staticmethod
    def resolve_company_name(obj) -> str:
        return obj.company.name

    @staticmethod
    def resolve_corporate_number(obj) -> str | None:
        return obj.company.corporate_number

    @staticmethod
    def resolve_communicator(obj) -> str | None:
        return obj.communicator.username if obj.communicator_id else None


class VisitPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PlanVisitOut]


class DayQuery(Schema):
    date: datetime.date | None = Field(None, description="日付（省略時は今日）")


SCREEN_PERMS = {
    "planning.view_plans": "planning.use_planning",
    "planning.view_planned_days": "planning.use_planned_days",
}


def _programme(request, code: str, perm: str):
    if not request.auth.has_perm(SCREEN_PERMS[perm]):
        raise HttpError(403, "訪問計画を見る権限がありません。")
    programme = get_object_or_404(programmes_for(request.auth), code=code)
    if not request.auth.has_perm(perm, programme):
        raise HttpError(403, "この事業の訪問計画を見る権限がありません。")
    return programme


@router.get("/planning/{code}/plans", response=list[PlanOut], summary="訪問計画の版の一覧")
def list_plans(request, code: str):
    programme = _programme(request, code, "planning.view_plans")
    return list(selectors.plans_for(request.auth, programme=programme).select_related("based_on").order_by("-version"))


@router.get("/planning/plans/{plan_id}", response=PlanOut, summary="訪問計画の版（品質レポートつき）")
def get_plan(request, plan_id: int):
    plan = selectors.plan_for(request.auth, plan_id)
    if plan is None:
        raise HttpError(404, "Not Found")
    return plan


@router.get("/planning/plans/{plan_id}/visits", response=VisitPage, summary="訪問計画の版の訪問と代替手段")
def list_plan_visits(request, plan_id: int, page: int = 1):
    plan = selectors.plan_for(request.auth, plan_id)
    if plan is None:
        raise HttpError(404, "Not Found")
    paginator = Paginator(selectors.plan_visits(plan).order_by("day", "communicator_id", "order", "pk"), PAGE_SIZE)
    current = paginator.get_page(page)
    return {"count": paginator.count, "page": current.number, "pages": paginator.num_pages, "results": list(current)}


@router.get(
    "/planning/{code}/my-day", response=list[PlanVisitOut], summary="承認済み計画での自分の1日の訪問（順番どおり）"
)
def my_day(request, code: str, query: Query[DayQuery]):
    programme = _programme(request, code, "planning.view_planned_days")
    day = query.date or timezone.localdate()
    return list(selectors.planned_days_for(request.auth, programme, request.auth).filter(day=day))
