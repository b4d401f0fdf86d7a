"""The visit list page, rendered in two fragments (filter panel, results), each kept in the cache.

The list is the busiest screen of the programme office. Building the filter form (code lists, programme staff)
and fifty rows costs tens of milliseconds, while the answer only changes when a visit of the programme is saved
or deleted. The results are therefore kept in the cache under a key made of:

- the programme's newest `Visit.updated_at` (one index lookup: every save of any visit, drafts included,
  changes it) and its `ProgressVersion` (bumped by every deletion, see `insights.signals`);
- the user (what a role may see differs) and the language;
- the query string (filters, sort, page).

So a saved, submitted, reviewed or deleted report shows at once in every worker. What is *not* in the key —
a company renamed in the registry, a code label or a person's display name edited — shows within
`cache_seconds()` (60 s by default; 0 switches the cache off, as in tests unless a test turns it on).

The filter panel shows no visit, only the programme's code lists, regions and staff with the user's choices: it
is kept per user, language and query without the page, for `cache_seconds()`, whatever visits change (so a
new page or a saved visit re-renders the results alone; a new staff member appears in it within that time).
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from kakehashi.core.pagination import paginate
from kakehashi.core.plain_sql import plain_rows
from kakehashi.insights.kpis import cache_seconds, progress_version

from .filters import filter_visits
from .models import Programme, Visit
from .selectors import visit_list_rows, visits_for

TEMPLATE = "outreach/visit_list.html"
FRAGMENTS = ("filters", "results")


@dataclass(frozen=True)
class ListKeys:
    results: str  # the results of this exact query string, until a visit changes
    filters: str  # the filter panel of this query without its page
    count: str  # the total of these filters (any page, any order), until a visit changes


def visit_list_keys(request, programme: Programme | None) -> ListKeys | None:
    """The cache keys of this request's list, or None when caching is off or there is no programme."""
    if programme is None or cache_seconds() <= 0:
        return None
    # Plain SQL (decision 018); the value is only compared, so the backend's own form of the timestamp will do.
    ((latest,),) = plain_rows(Visit, "SELECT MAX(updated_at) FROM {table} WHERE programme_id = %s", [programme.pk])
    stamp = f"{programme.pk}:{progress_version(programme.pk)}:{str(latest).replace(' ', 'T')}"
    language = translation.get_language()
    query = sorted(request.GET.lists())
    without_page = [(key, values) for key, values in query if key != "page"]
    filters = [(key, values) for key, values in without_page if key != "sort"]
    user = request.user.pk
    return ListKeys(
        results=f"outreach:visit-list:v2:{stamp}:{user}:{_digest(query, language)}",
        filters=f"outreach:visit-filters:v1:{programme.pk}:{user}:{_digest(without_page, language)}",
        count=f"outreach:visit-list-count:v1:{stamp}:{user}:{_digest(filters, language)}",
    )


def _digest(query: list, language: str) -> str:
    return hashlib.sha256(repr((query, language)).encode()).hexdigest()[:16]


def visit_list_fragments(
    request, programme: Programme | None, *, can_export: bool, can_export_contacts: bool, names=FRAGMENTS
) -> dict:
    """{name: html} of the fragments named (default: both), each from the cache when it holds it.

    Search as you type asks for the results alone: every keystroke is a new query, and the panel is not swapped.
    """
    keys = visit_list_keys(request, programme)
    options = {"can_export": can_export, "can_export_contacts": can_export_contacts}
    if keys is None:
        return _render(request, programme, None, names, **options)
    cached = cache.get_many([getattr(keys, name) for name in names])
    found = {name: cached.get(getattr(keys, name)) for name in names}
    missing = [name for name, html in found.items() if html is None]
    if missing:
        rendered = _render(request, programme, keys, missing, **options)
        cache.set_many({getattr(keys, name): html for name, html in rendered.items()}, cache_seconds())
        found.update(rendered)
    return found


def _render(request, programme, keys: ListKeys | None, names, *, can_export: bool, can_export_contacts: bool) -> dict:
    """The fragments named (from FRAGMENTS), rendered from the database."""
    result = filter_visits(
        visits_for(request.user, programme=programme), request.GET, programme=programme, user=request.user
    )
    context = {"form": result.form}
    if "results" in names:
        page = paginate(request, result.queryset, count_key=keys.count if keys else None, count_seconds=cache_seconds())
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "page": page,
            "rows": visit_list_rows(page.object_list),
            "ignored": result.ignored,
            "querystring": query.urlencode(),
            "can_export": can_export,
            "can_export_contacts": can_export_contacts,
        }
    return {name: render_to_string(f"{TEMPLATE}#{name}", context, request) for name in names}
