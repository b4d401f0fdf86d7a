"""One filter definition per public list, shared by the HTML page and the API."""

from dataclasses import dataclass

from django.db.models import QuerySet

from .forms import ArticleFilterForm, DirectoryFilterForm
from .search import search_queryset


@dataclass
class FilterResult:
    form: object
    queryset: QuerySet


def filter_directory(queryset: QuerySet, data) -> FilterResult:
    """Directory rows matching the keyword (Japanese, 1 character up) and the challenge/industry/region/size."""
    form = DirectoryFilterForm(data if data is not None else {})
    if not form.is_valid():
        # Unknown codes in a shared link are ignored rather than emptying the list.
        cleaned = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    else:
        cleaned = form.cleaned_data
    if cleaned.get("q"):
        queryset = search_queryset(queryset, cleaned["q"])
    if cleaned.get("challenge"):
        queryset = queryset.filter(challenges=cleaned["challenge"])
    if cleaned.get("industry"):
        queryset = queryset.filter(industries=cleaned["industry"])
    if cleaned.get("region"):
        queryset = queryset.filter(region=cleaned["region"])
    if cleaned.get("size"):
        queryset = queryset.filter(employees_band=cleaned["size"])
    return FilterResult(form=form, queryset=queryset.distinct())


def filter_articles(queryset: QuerySet, data) -> FilterResult:
    form = ArticleFilterForm(data if data is not None else {})
    cleaned = (
        form.cleaned_data
        if form.is_valid()
        else {n: form.cleaned_data.get(n) for n in form.fields if n not in form.errors}
    )
    if cleaned.get("kind"):
        queryset = queryset.filter(kind=cleaned["kind"])
    if cleaned.get("challenge"):
        queryset = queryset.filter(challenges=cleaned["challenge"])
    if cleaned.get("tag"):
        queryset = queryset.filter(tags__name=cleaned["tag"])
    return FilterResult(form=form, queryset=queryset.distinct())
