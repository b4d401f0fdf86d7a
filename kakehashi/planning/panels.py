"""The dashboard section of the visit plan: planned vs done to date, per month and per communicator."""

from django.template.loader import render_to_string
from django.utils import timezone


def plan_progress_panel(request, programme) -> str | None:
    if programme is None or not request.user.has_perm("planning.view_plans", programme):
        return None
    from .selectors import plan_progress

    progress = plan_progress(programme, today=timezone.localdate())
    return render_to_string(
        "planning/includes/dashboard_panel.html", {"progress": progress, "programme": programme}, request=request
    )
