"""The progress dashboard of the current programme, and the benchmark's baseline page."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from .charts import chart_data
from .kpis import cache_seconds, definitions, progress_cache_key, progress_for
from .panels import render_panels


@login_required
def dashboard(request):
    """進捗: the figures of `request.programme` with their definitions, charts and tables."""
    if not request.user.has_perm("insights.view_dashboard"):
        raise PermissionDenied
    programme = request.programme or None
    if programme is None:
        return render(request, "insights/dashboard.html", {"programme": None})
    if not request.user.has_perm("insights.view_progress", programme):
        raise PermissionDenied
    # The figures are the same for everyone who may read them: rendered once per cache key.
    today = timezone.localdate()
    key = progress_cache_key(programme, today)

    def render_figures() -> str:
        progress = progress_for(programme, today=today, key=key)
        context = {
            "programme": programme,
            "progress": progress,
            "definitions": definitions(),
            "charts": chart_data(progress),
            "cache_seconds": cache_seconds(),
        }
        return render_to_string("insights/dashboard.html#figures", context, request=request)

    figures_html = cache.get_or_set(f"{key}:html", render_figures, cache_seconds()) if key else render_figures()
    panels = render_panels(request, programme, cache_key=key, seconds=cache_seconds())
    context = {"programme": programme, "figures_html": figures_html, "panels": panels}
    return render(request, "insights/dashboard.html", context)


@login_required
def bench_trivial(request):
    """A page with the site's layout and no data: the baseline `bench/bench_dashboard.py` compares to."""
    if not request.user.has_perm("insights.view_bench_page"):
        raise PermissionDenied
    return render(request, "insights/bench_trivial.html", {})
