"""The community's section on the progress dashboard (registered in `apps.CommunityConfig.ready`)."""

from django.template.loader import render_to_string

from .choices import ProjectStage
from .selectors import community_kpis


def community_panel(request, programme) -> str | None:
    if not request.user.has_perm("community.view_kpis"):
        return None
    kpis = community_kpis()
    stages = [(label, kpis["projects_by_stage"][value]) for value, label in ProjectStage.choices]
    return render_to_string(
        "community/includes/dashboard_panel.html", {"kpis": kpis, "stages": stages}, request=request
    )
