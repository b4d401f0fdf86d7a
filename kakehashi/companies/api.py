"""The registry's API: name matching and search-as-you-type (more endpoints sit beside these)."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from .matching import company_match, company_search
from .normalise import company_name_key
from .selectors import companies_for

router = Router(tags=["companies"])

MATCH_LIMIT_MAX = 50
SUGGEST_LIMIT_MAX = 20


def _require_registry_viewer(request) -> None:
    """Staff roles and superusers only; company and IT-company members get 403 (anonymous is 401 already)."""
    if not request.auth.has_perm("companies.view_company"):
        raise HttpError(403, _("企業台帳を参照する権限がありません。"))


class MatchParams(Schema):
    name: str = Field(..., min_length=1, max_length=300, description="名称（表記ゆれのまま）")
    municipality: str | None = Field(None, pattern=r"^[0-9]{6}$", description="市区町村コード（6桁）")
    postal_code: str | None = Field(None, max_length=10, description="郵便番号")
    corporate_number: str | None = Field(None, max_length=20, description="法人番号（13桁）")
    kana: str | None = Field(None, max_length=300, description="フリガナ")
    limit: int = Field(10, ge=1, le=MATCH_LIMIT_MAX)


class MatchOut(Schema):
    id: int
    corporate_number: str | None
    name: str
    municipality: str | None = Field(None, description="市区町村コード（6桁）")
    score: int = Field(..., ge=0, le=100)
    reasons: list[str]


class MatchResults(Schema):
    results: list[MatchOut]


class SuggestParams(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="名称またはフリガナの一部（1文字から）")
    limit: int = Field(10, ge=1, le=SUGGEST_LIMIT_MAX)


class SuggestOut(Schema):
    id: int
    corporate_number: str | None
    name: str
    name_kana: str
    municipality: str | None = Field(None, description="市区町村コード（6桁）")


class SuggestResults(Schema):
    results: list[SuggestOut]


@router.get(
    "/companies/match",
    response=MatchResults,
    summary="企業の名寄せ候補（法人番号・正規化名称・フリガナ・所在地で照合）",
)
def match_companies(request, params: Query[MatchParams]):
    _require_registry_viewer(request)
    found = company_match(
        params.name,
        municipality=params.municipality,
        postal_code=params.postal_code,
        corporate_number=params.corporate_number,
        kana=params.kana,
        limit=params.limit,
        queryset=companies_for(request.auth),
    )
    return {
        "results": [
            {
                "id": m.company.pk,
                "corporate_number": m.company.corporate_number,
                "name": m.company.name,
                "municipality": m.company.municipality.code if m.company.municipality_id else None,
                "score": m.score,
                "reasons": m.reasons,
            }
            for m in found
        ]
    }


@router.get("/companies/suggest", response=SuggestResults, summary="企業名の入力候補（1文字から）")
def suggest_companies(request, params: Query[SuggestParams]):
    _require_registry_viewer(request)
    if not company_name_key(params.q):
        return {"results": []}
    found = company_search(params.q, queryset=companies_for(request.auth)).select_related("municipality")
    return {
        "results": [
            {
                "id": c.pk,
                "corporate_number": c.corporate_number,
                "name": c.name,
                "name_kana": c.name_kana,
                "municipality": c.municipality.code if c.municipality_id else None,
            }
            for c in found[: params.limit]
        ]
    }
