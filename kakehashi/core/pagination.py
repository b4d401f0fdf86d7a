from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_PAGE_SIZE = 50


class CachedCountPaginator(Paginator):
    """A paginator whose COUNT(*) is kept in the cache under a key that changes when the rows change."""

    def __init__(self, *args, count_key: str, count_seconds: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.count_seconds = count_seconds

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(self.count_key, lambda: super(CachedCountPaginator, self).count, self.count_seconds)


def paginate(request, queryset, per_page: int = DEFAULT_PAGE_SIZE, *, count_key: str | None = None, count_seconds=60):
    """Every list is paginated; a bad page number falls back to the nearest valid page.

    `count_key` (optional) caches the total for `count_seconds`: give a key that carries a version of the
    rows (see `outreach.views.visits.visit_list`), so the figure is never older than the rows it counts.
    """
    if count_key and count_seconds > 0:
        paginator = CachedCountPaginator(queryset, per_page, count_key=count_key, count_seconds=count_seconds)
    else:
        paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
