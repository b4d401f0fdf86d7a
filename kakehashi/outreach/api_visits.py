"""The visit-report API: record a visit (idempotent), list visits with the list filters, read one visit.

`POST /visits` takes an `Idempotency-Key` header (any string up to 100 characters, e.g. a UUID the phone made
when the report was started). Semantics:

* first request with a key → the visit is stored, **201 Created**;
* the same key again with the same body (a retry after a lost response) → nothing is stored, **200 OK** with the
  visit stored the first time and the header `Idempotent-Replayed: true`;
* the same key with a different body, or by another user → **409 Conflict**, nothing stored;
* a request refused (403/404/422) stores nothing and does not use up its key.

Coded fields are given by their code strings (`visit_format: "visit"`, `challenges: ["security"]`,
`municipality: "062014"`), people by user name. `status` chooses a draft or a submission; a submission must
name the company, the date and the format, and at least one challenge or a summary.
"""

import datetime
import uuid
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from kakehashi.companies.selectors import companies_for
from kakehashi.reference.models import CodeItem, Municipality

from .filters import VisitFilterForm, filter_visits
from .models import ContentItem, Programme, Visit
from .selectors import programme_staff, programmes_for, visits_for
from .services import visits as services
from .visit_exports import export_queryset

router = Router(tags=["visits"])
PAGE_SIZE = 50
MAX_KEY_LENGTH = 100


# --- Schemas -------------------------------------------------------------------------------------------------------


class ContactIn(Schema):
    name: str = Field("", max_length=100, description="氏名")
    title: str = Field("", max_length=100, description="役職")
    phone: str = Field("", max_length=30, description="電話番号")
    email: str = Field("", max_length=254, description="メールアドレス")


class VisitIn(Schema):
    programme: str = Field(..., description="事業コード")
    status: Literal["draft", "submitted"] = Field("submitted", description="draft（下書き）または submitted（提出）")
    company_id: int | None = Field(None, description="企業台帳の ID")
    corporate_number: str | None = Field(None, description="法人番号（company_id の代わりに）")
    visit_date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    visit_format: str | None = Field(None, description="外訪形態コード（visit / seminar / online）")
    employees_band: str | None = Field(None, description="従業員規模コード")
    business_form: str | None = Field(None, description="業態コード")
    revenue_band: str | None = Field(None, description="売上規模コード")
    municipality: str | None = Field(None, description="市町村コード（6桁）")
    challenges: list[str] = Field(default_factory=list, description="課題カテゴリコード")
    barriers: list[str] = Field(default_factory=list, description="障壁コード")
    digital_stage: str | None = Field(None, description="デジタル化の段階コード")
    introductions: list[str] = Field(default_factory=list, description="紹介内容コード")
    contents_shown: list[int] = Field(default_factory=list, description="見せたコンテンツの ID")
    outcomes: list[str] = Field(default_factory=list, description="勧誘成果コード")
    interest_level: str | None = Field(None, description="関心度コード")
    summary: str = Field("", max_length=10000, description="面談概要")
    answers: dict[str, Any] | None = Field(None, description="ヒアリング項目の回答（設問キー → 値）")
    contact: ContactIn | None = Field(None, description="面談相手（企業の担当者として保存）")
    consent_share_foundation: bool = False
    consent_contractor_use: bool = False
    next_action: str = Field("", max_length=300)
    follow_up_date: datetime.date | None = None
    communicators: list[str] = Field(default_factory=list, description="担当コミュニケータのユーザー名（省略時は自分）")
    companions: list[str] = Field(default_factory=list, description="同行者のユーザー名")
    companions_note: str = Field("", max_length=200)


class CodeOut(Schema):
    code: str
    label: str


class CompanyRefOut(Schema):
    id: int
    name: str
    corporate_number: str | None


class ContentRefOut(Schema):
    id: int
    title: str


class ContactOut(Schema):
    name: str
    title: str
    phone: str
    email: str


def _code(item) -> dict | None:
    if item is None:
        return None
    return {"code": item.code, "label": getattr(item, "label", None) or item.name}


class VisitOut(Schema):
    uuid: uuid.UUID
    programme: str
    status: str
    status_label: str
    company: CompanyRefOut | None
    visit_date: datetime.date | None
    start_time: datetime.time | None
    end_time: datetime.time | None
    visit_format: CodeOut | None
    employees_band: CodeOut | None
    business_form: CodeOut | None
    revenue_band: CodeOut | None
    municipality: CodeOut | None
    challenges: list[CodeOut]
    barriers: list[CodeOut]
    digital_stage: CodeOut | None
    introductions: list[CodeOut]
    contents_shown: list[ContentRefOut]
    outcomes: list[CodeOut]
    interest_level: CodeOut | None
    summary: str
    has_contact: bool
    contact: ContactOut | None = Field(None, description="担当者の閲覧権限がある場合だけ")
    consent_share_foundation: bool
    consent_contractor_use: bool
    next_action: str
    follow_up_date: datetime.date | None
    communicators: list[str]
    companions: list[str]
    companions_note: str
    recorded_by: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_comment: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_company(obj):
        c = obj.company
        return None if c is None else {"id": c.pk, "name": c.name, "corporate_number": c.corporate_number}

    @staticmethod
    def resolve_visit_format(obj):
        return _code(obj.visit_format)

    @staticmethod
    def resolve_employees_band(obj):
        return _code(obj.employees_band)

    @staticmethod
    def resolve_business_form(obj):
        return _code(obj.business_form)

    @staticmethod
    def resolve_revenue_band(obj):
        return _code(obj.revenue_band)

    @staticmethod
    def resolve_municipality(obj):
        return _code(obj.municipality)

    @staticmethod
    def resolve_digital_stage(obj):
        return _code(obj.digital_stage)

    @staticmethod
    def resolve_interest_level(obj):
        return _code(obj.interest_level)

    @staticmethod
    def resolve_challenges(obj):
        return [_code(i) for i in obj.challenges.all()]

    @staticmethod
    def resolve_barriers(obj):
        return [_code(i) for i in obj.barriers.all()]

    @staticmethod
    def resolve_introductions(obj):
        return [_code(i) for i in obj.introductions.all()]

    @staticmethod
    def resolve_outcomes(obj):
        return [_code(i) for i in obj.outcomes.all()]

    @staticmethod
    def resolve_contents_shown(obj):
        return [{"id": c.pk, "title": c.title} for c in obj.contents_shown.all()]

    @staticmethod
    def resolve_has_contact(obj) -> bool:
        return obj.contact_id is not None

    @staticmethod
    def resolve_contact(obj, context):
        request = context.get("request") if context else None
        user = getattr(request, "auth", None)
        if obj.contact_id is None or user is None or not user.has_perm("companies.view_contact", obj.contact):
            return None
        c = obj.contact
        return {"name": c.name, "title": c.title, "phone": c.phone, "email": c.email}

    @staticmethod
    def resolve_communicators(obj):
        return [u.username for u in obj.communicators.all()]

    @staticmethod
    def resolve_companions(obj):
        return [u.username for u in obj.companions.all()]

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by.username


class VisitPage(Schema):
    count: int
    page: int
    pages: int
    items: list[VisitOut]


class ProblemOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class VisitFilters(Schema):
    """The visit list's filters (the same definition as the list page and its exports)."""

    programme: str | None = Field(None, description="事業コード（省略時は参加しているすべての事業）")
    q: str | None = Field(None, description="面談概要・回答のキーワード（1文字から）")
    company: str | None = Field(None, description="企業名（1文字から）")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str | None = Field(None, description="draft / submitted / accepted / returned / counted")
    visit_format: str | None = Field(None, description="外訪形態コード")
    communicator: str | None = Field(None, description="ユーザー名")
    region: str | None = Field(None, description="地域コード")
    municipality: str | None = Field(None, description="市町村コード（6桁）")
    challenge: str | None = Field(None, description="課題カテゴリコード")
    outcome: str | None = Field(None, description="勧誘成果コード")
    mine: bool | None = None
    sort: str | None = Field(None, description="-date / date / -updated / company")
    page: int = Field(1, ge=1)


# --- Helpers -------------------------------------------------------------------------------------------------------


def _require_visits(request) -> None:
    if not request.auth.has_perm("outreach.use_visits"):
        raise HttpError(403, _("訪問報告を利用する権限がありません。"))


class _Problems(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid")
        self.errors = errors


def _values_from(payload: VisitIn, *, programme: Programme, user) -> tuple[dict, dict | None]:
    """Model-ready values and contact from the request; unknown codes and references are collected as errors."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def code(field: str, list_name: str, value: str | None):
        if value in (None, ""):
            return None
        item = CodeItem.objects.filter(list=list_name, code=value, active=True).first()
        if item is None:
            errors.setdefault(field, []).append(_("コード「%(code)s」は使えません。") % {"code": value})
        return item

    for field, list_name in services.CODE_LISTS.items():
        given = getattr(payload, field)
        if isinstance(given, list):
            values[field] = [item for item in (code(field, list_name, v) for v in dict.fromkeys(given)) if item]
        else:
            values[field] = code(field, list_name, given)

    company = None
    allowed = companies_for(user)
    if payload.company_id is not None:
        company = allowed.filter(pk=payload.company_id).first()
        if company is None:
            errors["company_id"] = [_("企業台帳にこの ID の企業等はありません。")]
    elif payload.corporate_number:
        company = allowed.filter(corporate_number=payload.corporate_number.strip()).first()
        if company is None:
            errors["corporate_number"] = [_("この法人番号の企業等は企業台帳にありません。")]
    values["company"] = company

    municipality = None
    if payload.municipality:
        municipality = Municipality.objects.filter(
            code=payload.municipality, prefecture_id=programme.prefecture_id
        ).first()
        if municipality is None:
            errors["municipality"] = [_("この事業の市町村コードではありません。")]
    values["municipality"] = municipality

    contents = list(ContentItem.objects.filter(programme=programme, active=True, pk__in=payload.contents_shown))
    if len(contents) != len(set(payload.contents_shown)):
        errors["contents_shown"] = [_("この事業のコンテンツではない ID が含まれています。")]
    values["contents_shown"] = contents

    for field, roles in (("communicators", ("communicator", "manager")), ("companions", ("partner",))):
        names = list(dict.fromkeys(getattr(payload, field)))
        people = list(programme_staff(programme, *roles).filter(username__in=names))
        if len(people) != len(names):
            errors[field] = [_("この事業のメンバーではないユーザー名が含まれています。")]
        values[field] = people
    if not values["communicators"] and "communicators" not in errors:
        values["communicators"] = [user]

    for field in (
        "visit_date",
        "start_time",
        "end_time",
        "follow_up_date",
        "consent_share_foundation",
        "consent_contractor_use",
        "summary",
        "next_action",
        "companions_note",
    ):
        values[field] = getattr(payload, field)
    if errors:
        raise _Problems(errors)
    contact = payload.contact.dict() if payload.contact is not None else None
    return values, contact


def _answers_from(payload: VisitIn, *, programme: Programme, visit_date):
    if payload.answers is None:
        return None
    from . import visit_hearing

    manuals = visit_hearing._manuals()
    if manuals is None:
        raise _Problems({"answers": [_("ヒアリング項目の回答はまだ受け付けていません。")]})
    version = manuals.manual_version_for(programme, visit_date or timezone.localdate())
    if version is None:
        raise _Problems({"answers": [_("この訪問日に使えるヒアリングマニュアルがありません。")]})
    answers, errors = manuals.validate_answers(version, payload.answers)
    if errors:
        raise _Problems({f"answers.{k}": (v if isinstance(v, list) else [str(v)]) for k, v in errors.items()})
    return version, answers


def _with_related(queryset):
    return export_queryset(queryset).select_related("contact")


# --- Endpoints -----------------------------------------------------------------------------------------------------


@router.post(
    "/visits",
    response={200: VisitOut, 201: VisitOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut},
    summary="訪問報告を記録する（Idempotency-Key で再送しても1件）",
)
def create_visit(
    request,
    response: HttpResponse,
    payload: VisitIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    user = request.auth
    _require_visits(request)
    if idempotency_key is not None and not 0 < len(idempotency_key.strip()) <= MAX_KEY_LENGTH:
        return Status(422, {"detail": _("Idempotency-Key は1〜100文字で指定してください。"), "errors": {}})
    programme = programmes_for(user).filter(code=payload.programme).first()
    if programme is None:
        return Status(404, {"detail": _("この事業は見つかりません。"), "errors": {}})
    if not user.has_perm("outreach.add_visit", programme):
        return Status(403, {"detail": _("この事業で訪問を記録する権限がありません。"), "errors": {}})
    fingerprint = services.request_fingerprint(payload.dict())
    try:
        values, contact = _values_from(payload, programme=programme, user=user)
        answers = _answers_from(payload, programme=programme, visit_date=payload.visit_date)
        visit, created = services.visit_record(
            actor=user,
            programme=programme,
            values=values,
            contact=contact,
            answers=answers,
            submit=payload.status == "submitted",
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
        )
    except _Problems as problems:
        return Status(422, {"detail": _("入力内容に誤りがあります。"), "errors": problems.errors})
    except ValidationError as error:
        errors = getattr(error, "message_dict", {"__all__": error.messages})
        return Status(422, {"detail": _("入力内容に誤りがあります。"), "errors": errors})
    except PermissionDenied:
        return Status(403, {"detail": _("この操作の権限がありません。"), "errors": {}})
    except services.IdempotencyConflict:
        detail = _("この Idempotency-Key は別の内容の要求ですでに使われています。")
        return Status(409, {"detail": detail, "errors": {}})
    visit = _with_related(Visit.objects.filter(pk=visit.pk)).get()
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, visit)


@router.get(
    "/visits",
    response={200: VisitPage, 403: ProblemOut, 422: ProblemOut},
    summary="訪問報告の一覧（一覧画面と同じ絞り込み）",
)
def list_visits(request, filters: Query[VisitFilters]):
    user = request.auth
    if not user.has_perm("outreach.list_visits"):
        raise HttpError(403, _("訪問報告を利用する権限がありません。"))
    programme = None
    if filters.programme:
        programme = programmes_for(user).filter(code=filters.programme).first()
        if programme is None:
            return Status(
                422, {"detail": _("この事業は見つかりません。"), "errors": {"programme": [filters.programme]}}
            )
    data = {key: request.GET.get(key) for key in VisitFilterForm.base_fields if request.GET.get(key)}
    result = filter_visits(visits_for(user, programme=programme), data, programme=programme, user=user)
    if result.form.errors:
        errors = {name: [str(m) for m in messages] for name, messages in result.form.errors.items()}
        return Status(422, {"detail": _("絞り込み条件に誤りがあります。"), "errors": errors})
    page = Paginator(_with_related(result.queryset), PAGE_SIZE).get_page(filters.page)
    return Status(
        200,
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "items": list(page.object_list),
        },
    )


@router.get("/visits/{visit_uuid}", response={200: VisitOut, 404: ProblemOut}, summary="訪問報告")
def get_visit(request, visit_uuid: uuid.UUID):
    """Missing, out of reach and not allowed all answer 404."""
    visit = _with_related(visits_for(request.auth).filter(uuid=visit_uuid)).first()
    if visit is None:
        return Status(404, {"detail": _("訪問報告は見つかりません。"), "errors": {}})
    return Status(200, visit)
