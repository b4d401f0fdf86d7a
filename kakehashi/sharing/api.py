"""The referral API: the funnel of a programme, the referral list, one referral and moving it on.

Contact details are never part of these answers (they are shown only on the referral page, where the view is
written to the access log). Missing and forbidden objects both answer 404.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kakehashi.outreach.selectors import programmes_for

from . import selectors, services
from .choices import ReferralDestination, ReferralStatus

router = Router(tags=["referrals"])
PAGE_SIZE = 50


class FunnelStageOut(Schema):
    key: str
    label: str
    count: int


class FunnelOut(Schema):
    programme: str
    start: datetime.date | None
    end: datetime.date | None
    stages: list[FunnelStageOut]


class ReferralOut(Schema):
    id: int
    programme: str
    company_id: int
    company_name: str
    destination: str
    status: str
    status_label: str
    urgency: str
    consent_scope: str
    purpose: str
    challenges: list[str]
    referred_on: datetime.date
    status_changed_on: datetime.date
    coordinator: str | None

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_company_name(obj) -> str:
        return obj.company.name

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_challenges(obj) -> list[str]:
        return [c.code for c in obj.challenges.all()]

    @staticmethod
    def resolve_coordinator(obj) -> str | None:
        return obj.coordinator.username if obj.coordinator_id else None


class ReferralPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ReferralOut]


class ReferralFilters(Schema):
    status: ReferralStatus | None = None
    destination: ReferralDestination | None = None
    page: int = Field(1, ge=1)


class MoveIn(Schema):
    status: ReferralStatus = Field(
        ..., description="新しい状態（contacted / consulting / supporting / completed / declined）"
    )
    occurred_on: datetime.date | None = Field(None, description="日付（省略時は今日）")
    note: str = Field("", max_length=2000, description="メモ（見送りの場合は理由が必須）")


class ProblemOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _programme(request, code: str):
    if not request.auth.has_perm("sharing.use_referrals"):
        raise HttpError(403, _("紹介を利用する権限がありません。"))
    programme = programmes_for(request.auth).filter(code=code).first()
    if programme is None or not request.auth.has_perm("sharing.view_referral", programme):
        raise HttpError(404, _("この事業は見つかりません。"))
    return programme


@router.get(
    "/programmes/{code}/referrals/funnel",
    response=FunnelOut,
    summary="紹介の段階別企業数（紹介 → 勧誘 → 相談登録 → 伴走支援開始）",
)
def referral_funnel(request, code: str, start: datetime.date | None = None, end: datetime.date | None = None):
    programme = _programme(request, code)
    stages = selectors.referral_funnel(programme=programme, start=start, end=end)
    return {"programme": programme.code, "start": start, "end": end, "stages": stages}


@router.get("/programmes/{code}/referrals", response=ReferralPage, summary="紹介の一覧")
def list_referrals(request, code: str, filters: Query[ReferralFilters]):
    programme = _programme(request, code)
    queryset = selectors.referral_list_for(request.auth, programme=programme).prefetch_related("challenges")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.destination:
        queryset = queryset.filter(destination=filters.destination)
    page = Paginator(queryset, PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": list(page.object_list),
    }


def _referral(request, referral_id: int):
    referral = selectors.referral_for(request.auth, referral_id)
    if referral is None or not request.auth.has_perm("sharing.view_referral", referral):
        raise HttpError(404, _("紹介は見つかりません。"))
    return referral


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="紹介")
def get_referral(request, referral_id: int):
    return _referral(request, referral_id)


@router.post(
    "/referrals/{referral_id}/status",
    response={200: ReferralOut, 404: ProblemOut, 422: ProblemOut},
    summary="紹介の状態を更新（コーディネータ・事業責任者）",
)
def move_referral(request, referral_id: int, body: MoveIn):
    referral = _referral(request, referral_id)
    if not request.auth.has_perm("sharing.move_referral", referral):
        return Status(404, {"detail": _("紹介は見つかりません。"), "errors": {}})
    try:
        referral = services.referral_transition(
            actor=request.auth,
            referral=referral,
            to_status=body.status,
            occurred_on=body.occurred_on,
            note=body.note,
        )
    except PermissionDenied:
        return Status(404, {"detail": _("紹介は見つかりません。"), "errors": {}})
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return Status(422, {"detail": _("状態を更新できません。"), "errors": errors})
    return Status(200, selectors.referral_for(request.auth, referral.pk))
