"""`GET /api/v1/community/kpis`: the community's KPIs (same computation as the dashboard panel)."""

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from .selectors import community_kpis

router = Router(tags=["community"])


class ProjectsByStage(Schema):
    idea: int
    trial: int
    launched: int


class CommunityKpis(Schema):
    registrants: int
    active_members: int
    active_days: int
    introductions_requested: int
    introductions_accepted: int
    projects_by_stage: ProjectsByStage
    new_businesses: int
    definitions: dict[str, str]


DEFINITIONS = {
    "registrants": "コミュニティに登録した会員数（利用停止中を含む）",
    "active_members": "利用停止中でなく、直近30日以内に投稿またはログインした会員数",
    "introductions_requested": "紹介依頼の件数（回答待ち・承諾・辞退の合計）",
    "introductions_accepted": "承諾された紹介依頼の件数",
    "projects_by_stage": "共創プロジェクトの段階別件数（アイデア・実証・事業化）",
    "new_businesses": "事業化した共創プロジェクトの件数（新事業創出数）",
}


@router.get(
    "/community/kpis",
    response=CommunityKpis,
    summary="コミュニティのKPI",
    url_name="community_kpis",
    description="登録者数、アクティブ会員数、紹介依頼・承諾数、段階別の共創プロジェクト数、新事業創出数。",
)
def community_kpis_endpoint(request):
    if not request.auth.has_perm("community.view_kpis"):
        raise HttpError(403, _("コミュニティのKPIを参照する権限がありません。"))
    return {**community_kpis(), "definitions": DEFINITIONS}
