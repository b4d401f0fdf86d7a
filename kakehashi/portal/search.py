"""Japanese full-text search over published articles and approved directory profiles.

The same approach as visit search (docs/decisions/005-visit-search.md): each row keeps a denormalised
`search_text` normalised with `normalise_search_text` (NFKC, lower case, hiragana folded to katakana); a query is
normalised the same way and split on spaces, and every term must occur (`LIKE '%term%'`). That is correct for one-
and two-character terms (AI, DX, 補助, 在庫). The portal holds hundreds of rows, not millions, so a scan is cheap
and no trigram index is needed (see docs/decisions/014-portal.md).
"""

import html

from django.db.models import QuerySet

from kakehashi.outreach.search import normalise_search_text, search_terms

from .rendering import plain_text

__all__ = ["article_search_text", "itcompany_search_text", "normalise_search_text", "search_queryset", "search_terms"]


def article_search_text(article, tag_names=(), challenge_labels=()) -> str:
    parts = [article.title, article.summary, html.unescape(plain_text(article.body)), *tag_names, *challenge_labels]
    return normalise_search_text("\n".join(p for p in parts if p))


def itcompany_search_text(company, challenge_labels=(), industry_names=(), place_names=()) -> str:
    parts = [
        company.name,
        company.name_kana,
        company.summary,
        company.description,
        *challenge_labels,
        *industry_names,
        *place_names,
    ]
    return normalise_search_text("\n".join(p for p in parts if p))


def search_queryset(queryset: QuerySet, query: str) -> QuerySet:
    """Rows of `queryset` whose `search_text` contains every term of `query` (all rows for an empty query)."""
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset
