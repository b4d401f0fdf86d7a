"""Content suggested in the visit form for the challenges ticked so far.

Uses `kakehashi.outreach.content.suggest_content(programme, challenge_codes)` (the content library: items for the
challenges, then the referral items, which are always offered) when it is there; otherwise the active items of the
programme tagged with one of the challenges. Items already ticked as
shown stay in the list even when their challenge is unticked, so nothing ticked disappears.
"""

from dataclasses import dataclass, field

from .models import ContentItem, Programme

MAX_SUGGESTIONS = 12


@dataclass
class Suggestions:
    items: list[ContentItem] = field(default_factory=list)
    shown_ids: set[int] = field(default_factory=set)
    challenge_codes: list[str] = field(default_factory=list)


def _suggest(programme: Programme, codes: list[str]) -> list[ContentItem]:
    try:
        from .content import suggest_content
    except ImportError:
        suggest_content = None
    if suggest_content is not None:
        return list(suggest_content(programme, codes))[:MAX_SUGGESTIONS]
    if not codes:
        return []
    return list(
        ContentItem.objects.filter(programme=programme, active=True, challenges__code__in=codes)
        .distinct()
        .order_by("kind", "title")[:MAX_SUGGESTIONS]
    )


def content_suggestions(programme: Programme | None, challenge_codes, shown_ids) -> Suggestions:
    if programme is None:
        return Suggestions()
    codes = [c for c in (challenge_codes or []) if c]
    shown = {int(pk) for pk in shown_ids or []}
    items = _suggest(programme, codes)
    have = {item.pk for item in items}
    missing = shown - have
    if missing:
        items += list(ContentItem.objects.filter(programme=programme, pk__in=missing).order_by("title"))
    return Suggestions(items=items, shown_ids=shown, challenge_codes=codes)
