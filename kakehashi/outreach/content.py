"""The content library at work: suggestions for a visit, and how items were used (reads only).

Writes are in `services/content.py`; the screens in `views/content.py`.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .choices import COUNTED_VISIT_STATUSES, ContentAudience, ContentKind
from .models import ContentItem, Programme, Visit

# Referral items (how to consult the foundation or the technology centre, how to register for the mail magazine)
# follow the matched items at every visit, at most this many.
REFERRAL_LIMIT = 3
HIGH_INTEREST = "high"


def suggest_content(programme: Programme | None, challenge_codes: list[str], *, limit: int = 6) -> list[ContentItem]:
    """Active items of the programme for the challenges heard: those sharing the most challenge codes first
    (up to `limit`), then the referral items, which are always offered. Items meant for staff only are left out.
    """
    if programme is None:
        return []
    codes = sorted({c for c in challenge_codes or [] if c})
    available = (
        ContentItem.objects.filter(programme=programme, active=True)
        .exclude(audience=ContentAudience.STAFF)
        .select_related("introduction")
    )
    matched: list[ContentItem] = []
    if codes:
        matched = list(
            available.annotate(matches=Count("challenges", filter=Q(challenges__code__in=codes), distinct=True))
            .filter(matches__gt=0)
            .order_by("-matches", "kind", "title", "pk")[: max(limit, 0)]
        )
    have = {item.pk for item in matched}
    referrals = list(
        available.filter(kind=ContentKind.REFERRAL).exclude(pk__in=have).order_by("title", "pk")[:REFERRAL_LIMIT]
    )
    return matched + referrals


# --- Selectors ---------------------------------------------------------------------------------------------------


def content_for(user, *, programme: Programme | None = None) -> QuerySet[ContentItem]:
    """Items the user may read (any staff role in their programme), optionally of one programme."""
    from .manuals import library_programme_ids

    queryset = ContentItem.objects.select_related("programme", "introduction")
    ids = library_programme_ids(user)
    if ids is not None:
        queryset = queryset.filter(programme_id__in=ids)
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset


def content_item_for(user, pk: int) -> ContentItem | None:
    """One item the user may read; None when missing or out of reach."""
    return content_for(user).filter(pk=pk).first()


# --- Usage ---------------------------------------------------------------------------------------------------------


@dataclass
class ItemUsage:
    """How often one item was shown at counted visits, and what those visits achieved."""

    item: ContentItem
    visits: int = 0
    high_interest: int = 0
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, visits)

    @property
    def high_share(self) -> float | None:
        return self.high_interest / self.visits if self.visits else None


def content_usage(items: QuerySet[ContentItem]) -> list[ItemUsage]:
    """Per item: counted (submitted or accepted) visits that showed it, the outcomes of those visits by code, and
    how many ended with high interest. Three grouped queries, whatever the number of items.
    """
    items = list(items)
    ids = [item.pk for item in items]
    shown = Visit.contents_shown.through.objects.filter(
        contentitem_id__in=ids, visit__status__in=COUNTED_VISIT_STATUSES
    )
    per_item = {
        row["contentitem_id"]: row
        for row in shown.values("contentitem_id")
        .annotate(
            visits=Count("visit_id", distinct=True),
            high=Count("visit_id", filter=Q(visit__interest_level__code=HIGH_INTEREST), distinct=True),
        )
        .order_by()
    }
    outcomes: dict[int, list[tuple[str, str, int]]] = {}
    rows = (
        shown.filter(visit__outcomes__isnull=False)
        .values_list("contentitem_id", "visit__outcomes__code", "visit__outcomes__label_ja", "visit__outcomes__order")
        .annotate(n=Count("visit_id", distinct=True))
        .order_by("contentitem_id", "visit__outcomes__order", "visit__outcomes__code")
    )
    for item_id, code, label, _order, count in rows:
        outcomes.setdefault(item_id, []).append((code, label, count))
    result = []
    for item in items:
        row = per_item.get(item.pk) or {}
        result.append(
            ItemUsage(
                item=item,
                visits=row.get("visits", 0),
                high_interest=row.get("high", 0),
                outcomes=outcomes.get(item.pk, []),
            )
        )
    return result
