"""Reference data over the API: municipalities, regions, JSIC industries and code lists.

Read-only; open to the same people as the pages (staff roles and superusers). Signed out → 401
(from the API's authentication), signed in without a staff role → 403.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from . import selectors
from .choices import CodeList

router = Router(tags=["reference"])


def _authorise(request) -> None:
    if not selectors.can_view(request.auth):
        raise HttpError(403, _("参照データを見る権限がありません。"))


class MunicipalityOut(Schema):
    code: str
    name: str
    kana: str
    kind: str
    prefecture_code: str
    prefecture_name: str
    parent_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    active: bool

    @staticmethod
    def resolve_prefecture_code(obj) -> str:
        return obj.prefecture.code

    @staticmethod
    def resolve_prefecture_name(obj) -> str:
        return obj.prefecture.name

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class RegionOut(Schema):
    code: str
    name: str
    prefecture_code: str
    order: int
    active: bool
    municipality_codes: list[str]

    @staticmethod
    def resolve_prefecture_code(obj) -> str:
        return obj.prefecture.code

    @staticmethod
    def resolve_municipality_codes(obj) -> list[str]:
        return [m.code for m in obj.municipalities.all()]


class IndustryMiddleOut(Schema):
    code: str
    name: str
    name_en: str


class IndustryOut(Schema):
    code: str
    name: str
    name_en: str
    middle: list[IndustryMiddleOut]

    @staticmethod
    def resolve_middle(obj) -> list:
        return list(obj.children.all())


class CodeItemOut(Schema):
    code: str
    label_ja: str
    label_en: str
    description: str
    order: int
    active: bool


class CodeListOut(Schema):
    name: str
    label: str
    items: list[CodeItemOut]


@router.get("/municipalities", response=list[MunicipalityOut], summary="市区町村の一覧（都道府県・検索で絞り込み）")
@paginate(PageNumberPagination, page_size=100)
def list_municipalities(request, prefecture: str = "", q: str = ""):
    _authorise(request)
    return selectors.municipalities_for(request.auth, prefecture=prefecture, query=q)


@router.get("/municipalities/{code}", response=MunicipalityOut, summary="市区町村（6桁の団体コード）")
def get_municipality(request, code: str):
    _authorise(request)
    municipality = selectors.municipalities_for(request.auth).filter(code=code).first()
    if municipality is None:
        raise Http404
    return municipality


@router.get("/regions", response=list[RegionOut], summary="地域区分の一覧")
def list_regions(request, prefecture: str = ""):
    _authorise(request)
    return list(selectors.regions_for(request.auth, prefecture=prefecture))


@router.get("/industries", response=list[IndustryOut], summary="日本標準産業分類（大分類と中分類）")
def list_industries(request):
    _authorise(request)
    return list(selectors.industries_for(request.auth))


def _code_list(request, name: str, *, active_only: bool) -> dict:
    items = list(selectors.codeitems_for(request.auth, name, active_only=active_only))
    return {"name": name, "label": str(CodeList(name).label), "items": items}


@router.get("/codes", response=list[CodeListOut], summary="コード表の一覧と各コード")
def list_code_lists(request, active_only: bool = False):
    _authorise(request)
    by_list: dict[str, list] = {name: [] for name in CodeList.values}
    for item in selectors.all_codeitems_for(request.auth, active_only=active_only):
        by_list.setdefault(item.list, []).append(item)
    return [{"name": name, "label": str(CodeList(name).label), "items": by_list[name]} for name in CodeList.values]


@router.get("/codes/{name}", response=CodeListOut, summary="一つのコード表")
def get_code_list(request, name: str, active_only: bool = False):
    _authorise(request)
    if name not in CodeList.values:
        raise Http404
    return _code_list(request, name, active_only=active_only)
