"""The one place the registry screens call the name matcher (`matching.py`).

Search-as-you-type, the duplicate check before creating a company and the duplicate review all go
through these functions, so a change in the matcher's interface or thresholds is absorbed here.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .matching import company_match, company_search
from .models import Company

# Matcher scores run 0–100 (name similarity × 0.9, plus up to 10 for the same place and legal form).
PROBABLE_SCORE = 70  # shown as "probably already registered" before creating a company
DUPLICATE_SCORE = 85  # listed for review as a probable duplicate (same municipality)


@dataclass
class ProbableMatch:
    """A registry record that may be the company being entered, with the reasons shown to the user."""

    company: Company
    reasons: list[str] = field(default_factory=list)
    score: int | None = None


def search_companies(queryset: QuerySet[Company], query: str) -> QuerySet[Company]:
    """Companies of `queryset` whose name or kana matches `query` (one or two characters work too), best first."""
    query = (query or "").strip()
    if not query:
        return queryset
    return company_search(query, queryset=queryset)


def probable_matches(
    *,
    queryset: QuerySet[Company],
    name: str,
    corporate_number: str | None = None,
    municipality=None,
    postal_code: str | None = None,
    kana: str | None = None,
    min_score: int = PROBABLE_SCORE,
) -> list[ProbableMatch]:
    """Records of `queryset` that are probably the company described (shown before creating a new one)."""
    found = company_match(
        name,
        municipality=municipality,
        postal_code=postal_code or None,
        corporate_number=corporate_number or None,
        kana=kana or None,
        queryset=queryset,
    )
    return [
        ProbableMatch(company=m.company, reasons=list(m.reasons), score=m.score) for m in found if m.score >= min_score
    ]


def similar_companies(company: Company, *, queryset: QuerySet[Company]) -> list[Company]:
    """Other records of `queryset` the matcher rates as very probably the same company as `company`."""
    candidates = probable_matches(
        queryset=queryset.exclude(pk=company.pk),
        name=company.name,
        municipality=company.municipality,
        postal_code=company.postal_code,
        kana=company.name_kana,
        min_score=DUPLICATE_SCORE,
    )
    return [m.company for m in candidates if m.company.pk != company.pk]
