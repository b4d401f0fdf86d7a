"""HTMX helpers: an HTMX request gets a named partial of the same template."""

from django.shortcuts import render


def render_page_or_partial(request, template_name: str, context: dict, partial: str):
    """Render the whole page, or only `template#partial` when HTMX asks."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, f"{template_name}#{partial}", context)
    return render(request, template_name, context)
