"""Reads of the reference data.

`*_for(user, …)` selectors are what views and the API use: they return nothing to a user who
may not view reference data. The plain helpers below them (`codes_for`, `code_item`,
`municipality_by_code`, `municipalities_in`) are for other apps' services, forms and imports,
which have already authorised their caller.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from .choices import CodeList, IndustryLevel, MunicipalityKind
from .models import CodeItem, Industry, Municipality, Prefecture, Region


def can_view(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("reference.view_codes"))


def can_edit(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("reference.change_codes"))


# --- For views and the API (narrowed by permission) ------------------------------------------


def code_lists_for(user) -> list[dict]:
    """Every code list with its counts of active and retired items."""
    if not can_view(user):
        return []
    counts = {
        row["list"]: row
        for row in CodeItem.objects.values("list").annotate(
            active_count=Count("id", filter=Q(active=True)), retired_count=Count("id", filter=Q(active=False))
        )
    }
    return [
        {
            "name": value,
            "label": label,
            "active_count": counts.get(value, {}).get("active_count", 0),
            "retired_count": counts.get(value, {}).get("retired_count", 0),
        }
        for value, label in CodeList.choices
    ]


def codeitems_for(user, list_name: str, *, active_only: bool = False) -> QuerySet[CodeItem]:
    if not can_view(user) or list_name not in CodeList.values:
        return CodeItem.objects.none()
    return codes_for(list_name, active_only=active_only)


def all_codeitems_for(user, *, active_only: bool = False) -> QuerySet[CodeItem]:
    """Every item of every list, ordered by list, then display order."""
    if not can_view(user):
        return CodeItem.objects.none()
    queryset = CodeItem.objects.all()
    if active_only:
        queryset = queryset.filter(active=True)
    return queryset.order_by("list", "order", "code")


def prefectures_for(user) -> QuerySet[Prefecture]:
    if not can_view(user):
        return Prefecture.objects.none()
    return Prefecture.objects.all()


def municipalities_for(user, *, prefecture: str = "", query: str = "") -> QuerySet[Municipality]:
    """Municipalities, optionally of one prefecture (2-digit code) and matching a search.

    The search matches the name, the reading, the 6-digit code or its first five digits.
    """
    if not can_view(user):
        return Municipality.objects.none()
    queryset = Municipality.objects.select_related("prefecture", "parent")
    if prefecture:
        queryset = queryset.filter(prefecture__code=prefecture)
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(
            Q(name__contains=query)
            | Q(kana__contains=query)
            | Q(code__startswith=query)
            | Q(prefecture__name__contains=query)
        )
    return queryset.order_by("code")


def regions_for(user, *, prefecture: str = "") -> QuerySet[Region]:
    if not can_view(user):
        return Region.objects.none()
    queryset = Region.objects.select_related("prefecture").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("code"))
    )
    if prefecture:
        queryset = queryset.filter(prefecture__code=prefecture)
    return queryset.order_by("prefecture__code", "order", "code")


def industries_for(user) -> QuerySet[Industry]:
    """大分類 with their 中分類 prefetched as `children`."""
    if not can_view(user):
        return Industry.objects.none()
    return (
        Industry.objects.filter(level=IndustryLevel.MAJOR)
        .prefetch_related(Prefetch("children", queryset=Industry.objects.order_by("order", "code")))
        .order_by("order", "code")
    )


# --- For other apps (unscoped reference lookups) ---------------------------------------------


def codes_for(list_name: str, active_only: bool = True) -> QuerySet[CodeItem]:
    """The items of one code list in display order; retired ones only when asked for."""
    queryset = CodeItem.objects.filter(list=list_name)
    if active_only:
        queryset = queryset.filter(active=True)
    return queryset.order_by("order", "code")


def code_item(list_name: str, code: str) -> CodeItem | None:
    """One item by list and code (retired included, so old records still resolve), or None."""
    return CodeItem.objects.filter(list=list_name, code=code).first()


def municipality_by_code(code: str) -> Municipality | None:
    """A municipality by its 6-digit 団体コード, or by the 5-digit JIS X 0402 code."""
    code = (code or "").strip()
    if len(code) == 5 and code.isdigit():
        return Municipality.objects.select_related("prefecture", "parent").filter(code__startswith=code).first()
    return Municipality.objects.select_related("prefecture", "parent").filter(code=code).first()


def municipalities_in(prefecture_code: str, *, include_wards: bool = True) -> QuerySet[Municipality]:
    """The municipalities of one prefecture (2-digit code), in code order."""
    queryset = Municipality.objects.filter(prefecture__code=prefecture_code, active=True)
    if not include_wards:
        queryset = queryset.exclude(kind=MunicipalityKind.WARD)
    return queryset.order_by("code")
