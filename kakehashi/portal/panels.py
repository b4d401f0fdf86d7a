"""The portal's section of the insights dashboard: page views this month and the most read pages."""

from django.template.loader import render_to_string

from .pageviews import month_of
from .selectors import directory_counts, page_labels, page_view_totals, page_views_for, pending_revisions_for

TOP_PAGES = 5


def page_views_panel(request, programme) -> str | None:
    user = request.user
    if not user.has_perm("portal.view_page_views"):
        return None
    totals = page_view_totals(user, months=6)
    top = list(page_views_for(user, month=month_of())[:TOP_PAGES])
    labels = page_labels([row.path for row in top])
    top_pages = [{"path": row.path, "label": labels[row.path], "views": row.views} for row in top]
    context = {
        "totals": totals,
        "this_month": totals[0] if totals else None,
        "top_pages": top_pages,
        "directory": directory_counts(),
        "pending_revisions": pending_revisions_for(user).count() if user.has_perm("portal.manage_directory") else None,
    }
    return render_to_string("portal/includes/dashboard_panel.html", context, request=request)
