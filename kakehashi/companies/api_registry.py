"""Registry API: the filtered company list and one company (never its contacts).

A second router the lead mounts next to `api.router`. The list uses the same filter definition as the
HTML list and the exports (`filters.filter_companies`); reference values are passed and returned as codes.
"""

import datetime

from django.core.paginator import Paginator
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kakehashi.outreach.models import Programme
from kakehashi.outreach.selectors import programmes_for

from . import selectors
from .filters import filter_companies

router = Router(tags=["companies"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class CompanyFilterIn(Schema):
    """Filters (all optional; a value that is not valid is ignored and named in `ignored`)."""

    q: str | None = None
    region: str | None = None
    municipality: str | None = None
    industry: str | None = None
    business_form: str | None = None
    employees: str | None = None
    revenue: str | None = None
    status: str | None = None
    designated: str | None = None
    heard: str | None = None
    sort: str | None = None
    programme: str | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


class CompanyOut(Schema):
    id: int
    corporate_number: str | None
    name: str
    name_kana: str
    municipality: str | None
    industry: str | None
    business_form: str | None
    employees_band: str | None
    revenue_band: str | None
    status: str
    designated: bool

    @staticmethod
    def resolve_municipality(obj) -> str | None:
        return obj.municipality.code if obj.municipality_id else None

    @staticmethod
    def resolve_industry(obj) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_business_form(obj) -> str | None:
        return obj.business_form.code if obj.business_form_id else None

    @staticmethod
    def resolve_employees_band(obj) -> str | None:
        return obj.employees_band.code if obj.employees_band_id else None

    @staticmethod
    def resolve_revenue_band(obj) -> str | None:
        return obj.revenue_band.code if obj.revenue_band_id else None

    @staticmethod
    def resolve_designated(obj) -> bool:
        return bool(getattr(obj, "is_designated", False))


class CompanyPageOut(Schema):
    count: int
    page: int
    pages: int
    programme: str | None
    ignored: list[str]
    items: list[CompanyOut]


class DesignationOut(Schema):
    programme: str
    source: str


class CompanyDetailOut(CompanyOut):
    legal_form: str | None
    postal_code: str
    prefecture: str | None
    address: str
    website: str
    sources: list[str]
    closed_on: datetime.date | None
    merged_into: int | None
    successor: int | None
    designations: list[DesignationOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_legal_form(obj) -> str | None:
        return obj.legal_form.code if obj.legal_form_id else None

    @staticmethod
    def resolve_prefecture(obj) -> str | None:
        return obj.municipality.prefecture.code if obj.municipality_id else None

    @staticmethod
    def resolve_merged_into(obj) -> int | None:
        return obj.merged_into_id

    @staticmethod
    def resolve_successor(obj) -> int | None:
        return obj.successor_id

    @staticmethod
    def resolve_designations(obj) -> list[dict]:
        return [{"programme": d.programme.code, "source": d.source} for d in obj.visible_designations]


def _user(request):
    user = request.auth
    if not user.has_perm("companies.view_company"):
        raise HttpError(403, "企業台帳を見る権限がありません。")
    return user


def _programme(user, code: str | None) -> Programme | None:
    """The programme the list is about: the one named, or the user's most recent one."""
    programmes = programmes_for(user)
    if code:
        programme = programmes.filter(code=code).first()
        if programme is None:
            raise Http404
        return programme
    return programmes.order_by("-fiscal_year", "pk").first()


@router.get("/companies", response=CompanyPageOut, summary="企業等の一覧（絞り込み・検索）")
def list_companies(request, filters: Query[CompanyFilterIn]):
    user = _user(request)
    programme = _programme(user, filters.programme)
    data = filters.dict(exclude={"page", "page_size", "programme"}, exclude_none=True)
    result = filter_companies(selectors.company_list_for(user, programme=programme), data, programme=programme)
    page_size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    page = Paginator(result.queryset, page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "programme": programme.code if programme else None,
        "ignored": result.ignored,
        "items": list(page.object_list),
    }


@router.get("/companies/{int:company_id}", response=CompanyDetailOut, summary="企業等の詳細（担当者は含みません）")
def get_company(request, company_id: int):
    user = _user(request)
    company = selectors.company_detail_for(user, company_id)
    if company is None:
        raise Http404
    programme = _programme(user, None)
    company.is_designated = bool(programme and company.designations.filter(programme=programme).exists())
    company.visible_designations = list(selectors.designations_for(user, company))
    return company
