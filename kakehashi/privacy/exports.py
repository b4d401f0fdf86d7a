"""Asking for the reason of an export that contains personal information, for any app's export view."""

from django.shortcuts import render

from .forms import ExportReasonForm


def reason_or_form(request, *, title: str, back_url: str = "/", count: int | None = None) -> tuple[str, object | None]:
    """(reason, None) when the request carries a valid reason, else ("", the page that asks for it).

    The page re-submits the same query string (filters, format) with the reason added.
    """
    form = ExportReasonForm(request.GET if "reason" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["reason"], None
    hidden = [(key, value) for key, values in request.GET.lists() if key != "reason" for value in values]
    context = {
        "form": form,
        "title": title,
        "hidden": hidden,
        "action": request.path,
        "count": count,
        "back_url": back_url,
    }
    return "", render(request, "privacy/export_reason.html", context)
