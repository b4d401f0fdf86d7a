"""The events section of the progress dashboard."""

from django.template.loader import render_to_string

from .kpis import event_kpis


def events_panel(request, programme) -> str | None:
    if programme is None or not request.user.has_perm("events.view_kpis", programme):
        return None
    kpis = event_kpis(programme)
    if not kpis["events_total"]:
        return None
    return render_to_string("events/includes/dashboard_panel.html", {"kpis": kpis}, request=request)
