"""The referral funnel on the progress dashboard (registered in `SharingConfig.ready`)."""

from django.template.loader import render_to_string

from .selectors import referral_funnel


def funnel_panel(request, programme) -> str | None:
    """introduced → solicited → consultation registered → hands-on support started, for the whole programme."""
    if programme is None or not request.user.has_perm("sharing.view_referral", programme):
        return None
    stages = referral_funnel(programme=programme)
    top = max((s["count"] for s in stages), default=0)
    for stage in stages:
        stage["width"] = round(stage["count"] * 100 / top) if top else 0
        stage["rate"] = round(stage["count"] * 100 / stages[0]["count"]) if stages[0]["count"] else None
    return render_to_string("sharing/includes/funnel_panel.html", {"stages": stages}, request=request)
