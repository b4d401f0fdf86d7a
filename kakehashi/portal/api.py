"""The portal's API: public reads (articles, directory; no authentication) and staff reads (consultation
requests, page views). Public endpoints use `auth=None` and the same selectors and filters as the public pages."""

import datetime

from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from .filters import filter_articles, filter_directory
from .pageviews import month_of
from .selectors import (
    consultations_for,
    directory_for_public,
    page_view_totals,
    page_views_for,
    public_article,
    public_it_company,
    published_articles,
)

router = Router(tags=["portal"])


class CodeOut(Schema):
    code: str
    label: str


class ArticleSummaryOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    published_at: datetime.datetime
    url: str
    tags: list[str]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.name for t in obj.tags.all()]


class ArticleOut(ArticleSummaryOut):
    body_html: str
    challenges: list[CodeOut]

    @staticmethod
    def resolve_challenges(obj) -> list[dict]:
        return [{"code": c.code, "label": c.label} for c in obj.challenges.all()]


class ITCompanyOut(Schema):
    id: int
    name: str
    name_kana: str
    summary: str
    description: str
    url: str
    website: str
    region: str | None
    municipality_code: str | None
    employees_band: str | None
    challenges: list[CodeOut]
    industries: list[CodeOut]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region.name if obj.region else None

    @staticmethod
    def resolve_municipality_code(obj) -> str | None:
        return obj.municipality.code if obj.municipality else None

    @staticmethod
    def resolve_employees_band(obj) -> str | None:
        return obj.employees_band.code if obj.employees_band else None

    @staticmethod
    def resolve_challenges(obj) -> list[dict]:
        return [{"code": c.code, "label": c.label} for c in obj.challenges.all()]

    @staticmethod
    def resolve_industries(obj) -> list[dict]:
        return [{"code": i.code, "label": i.name} for i in obj.industries.all()]


class ConsultationOut(Schema):
    id: int
    reference: str
    received_at: datetime.datetime
    status: str
    company_name: str
    registry_company_id: int | None
    match_score: int | None
    municipality_code: str | None
    challenges: list[str]
    message: str
    person_name: str | None
    email: str | None
    phone: str | None

    @staticmethod
    def resolve_reference(obj) -> str:
        return str(obj.reference)

    @staticmethod
    def resolve_received_at(obj) -> datetime.datetime:
        return obj.created_at

    @staticmethod
    def resolve_registry_company_id(obj) -> int | None:
        return obj.company_id

    @staticmethod
    def resolve_municipality_code(obj) -> str | None:
        return obj.municipality.code if obj.municipality else None

    @staticmethod
    def resolve_challenges(obj) -> list[str]:
        return [c.code for c in obj.challenges.all()]

    # Contact details only for the roles that handle requests (personal information).
    @staticmethod
    def resolve_person_name(obj, context) -> str | None:
        return obj.person_name if _sees_contact(context) else None

    @staticmethod
    def resolve_email(obj, context) -> str | None:
        return obj.email if _sees_contact(context) else None

    @staticmethod
    def resolve_phone(obj, context) -> str | None:
        return obj.phone if _sees_contact(context) else None


def _sees_contact(context) -> bool:
    request = (context or {}).get("request")
    user = getattr(request, "auth", None)
    return bool(user and user.has_perm("portal.view_consultation_contact"))


class PageViewOut(Schema):
    path: str
    views: int


class PageViewMonthOut(Schema):
    month: datetime.date
    views: int


class PageViewReportOut(Schema):
    month: datetime.date
    total: int
    pages: list[PageViewOut]
    months: list[PageViewMonthOut]


@router.get("/portal/articles", response=list[ArticleSummaryOut], auth=None, summary="公開中の記事（認証不要）")
@paginate(PageNumberPagination, page_size=50)
def list_portal_articles(request, kind: str = "", challenge: str = "", tag: str = ""):
    data = {"kind": kind, "challenge": challenge, "tag": tag}
    return filter_articles(published_articles().prefetch_related("tags"), data).queryset


@router.get("/portal/articles/{article_id}", response=ArticleOut, auth=None, summary="公開中の記事（認証不要）")
def get_portal_article(request, article_id: int):
    article = public_article(article_id)
    if article is None:
        raise Http404
    return article


@router.get(
    "/portal/it-companies",
    response=list[ITCompanyOut],
    auth=None,
    summary="IT企業ディレクトリ（認証不要・画面と同じ絞り込み）",
)
@paginate(PageNumberPagination, page_size=50)
def list_portal_it_companies(
    request, q: str = "", challenge: str = "", industry: str = "", region: str = "", size: str = ""
):
    data = {"q": q, "challenge": challenge, "industry": industry, "region": region, "size": size}
    base = directory_for_public().select_related("region", "municipality", "employees_band")
    base = base.prefetch_related("challenges", "industries")
    return filter_directory(base, data).queryset.order_by("name_kana", "name", "pk")


@router.get("/portal/it-companies/{company_id}", response=ITCompanyOut, auth=None, summary="IT企業（認証不要）")
def get_portal_it_company(request, company_id: int):
    company = public_it_company(company_id)
    if company is None:
        raise Http404
    return company


@router.get(
    "/portal/consultations",
    response=list[ConsultationOut],
    summary="相談依頼（受付担当のみ。連絡先は対応する役割だけ）",
)
@paginate(PageNumberPagination, page_size=50)
def list_portal_consultations(request, status: str = ""):
    user = request.auth
    if not user.has_perm("portal.view_consultations"):
        raise HttpError(403, _("相談依頼を参照する権限がありません。"))
    queryset = consultations_for(user).prefetch_related("challenges")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


@router.get("/portal/page-views", response=PageViewReportOut, summary="ポータルのページビュー（月別・ページ別）")
def get_portal_page_views(request, month: str = ""):
    """`month` as YYYY-MM (this month when empty)."""
    user = request.auth
    if not user.has_perm("portal.view_page_views"):
        raise HttpError(403, _("ページビューを参照する権限がありません。"))
    wanted = month_of()
    if month:
        try:
            wanted = datetime.datetime.strptime(month, "%Y-%m").date()
        except ValueError as error:
            raise HttpError(422, _("month は YYYY-MM の形式で指定してください。")) from error
    pages = list(page_views_for(user, month=wanted)[:500])
    return {
        "month": wanted,
        "total": page_views_for(user, month=wanted).aggregate(total=Sum("views"))["total"] or 0,
        "pages": pages,
        "months": page_view_totals(user, months=12),
    }
