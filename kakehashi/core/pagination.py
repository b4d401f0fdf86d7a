from django.core.paginator import Paginator

DEFAULT_PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = DEFAULT_PAGE_SIZE):
    """Every list is paginated; a bad page number falls back to the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
