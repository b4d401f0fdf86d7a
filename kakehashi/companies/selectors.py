"""Reads for the registry, narrowed to what the user may see.

A staff user sees the companies of the prefectures their programmes cover, the companies designated in
their programmes, and records not yet placed in a municipality; superusers see every record. Merged
records stay readable (their detail page links to the surviving record) but default lists leave them out.
"""

from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value

from kakehashi.accounts.choices import Role
from kakehashi.outreach.models import DesignatedCompany, Programme
from kakehashi.outreach.selectors import programmes_for

from .choices import CompanyStatus
from .models import Company, Contact
from .registry_matching import similar_companies
from .rules import may_view_contacts

# Roles that see the whole registry of their programmes' prefectures, and roles that see every contact.
REGISTRY_WIDE_ROLES = (Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.PARTNER)
CONTACT_ROLES = (Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR)
LIST_RELATED = ("municipality__prefecture", "industry", "legal_form", "business_form", "employees_band", "revenue_band")


def companies_for(user) -> QuerySet[Company]:
    """Every company record the user may open (merged ones included); none without the permission."""
    if not user.is_authenticated or not user.has_perm("companies.view_company"):
        return Company.objects.none()
    if user.is_superuser:
        return Company.objects.all()
    if user.has_role(Role.COORDINATOR) and not user.has_role(*REGISTRY_WIDE_ROLES):
        # Coordinators see only the companies that agreed to share with the foundation (APPI; see sharing).
        from kakehashi.sharing.selectors import coordinator_company_ids

        return Company.objects.filter(pk__in=coordinator_company_ids(user))
    programmes = programmes_for(user)
    if not programmes.exists():
        return Company.objects.none()
    prefecture_ids = Programme.objects.filter(pk__in=programmes.values("pk")).values("prefecture_id")
    designated = DesignatedCompany.objects.filter(programme__in=programmes.values("pk")).values("company_id")
    return Company.objects.filter(
        Q(municipality__prefecture_id__in=prefecture_ids) | Q(pk__in=designated) | Q(municipality__isnull=True)
    )


def company_list_for(user, *, programme: Programme | None) -> QuerySet[Company]:
    """The registry list: the user's companies with what a list row shows, and `is_designated` for `programme`."""
    return with_designation(companies_for(user).select_related(*LIST_RELATED), programme)


def with_designation(queryset: QuerySet[Company], programme: Programme | None) -> QuerySet[Company]:
    if programme is None:
        return queryset.annotate(is_designated=Value(False, output_field=BooleanField()))
    designated = DesignatedCompany.objects.filter(programme=programme, company=OuterRef("pk"))
    return queryset.annotate(is_designated=Exists(designated))


def company_detail_for(user, pk: int) -> Company | None:
    """One company the user may open, with its reference rows; None when missing or out of reach."""
    return companies_for(user).select_related(*LIST_RELATED, "merged_into", "successor").filter(pk=pk).first()


def designations_for(user, company: Company) -> QuerySet[DesignatedCompany]:
    """The company's designations in the programmes the user works on."""
    return company.designations.filter(programme__in=programmes_for(user).values("pk")).select_related("programme")


def contacts_for(user, company: Company) -> QuerySet[Contact]:
    """The company's contacts, only for those allowed to see personal information; otherwise none."""
    if not may_view_contacts(user, company):
        return Contact.objects.none()
    if not user.has_role(*CONTACT_ROLES):
        # A coordinator: only the contacts whose consent covers them.
        from kakehashi.sharing.selectors import shared_contact_ids

        return company.contacts.filter(pk__in=shared_contact_ids(user, company))
    return company.contacts.all()


# --- Duplicate review -----------------------------------------------------------------------

REASON_SAME_NAME_MUNICIPALITY = "same_name_municipality"
REASON_SAME_NAME_NO_NUMBER = "same_name_no_number"
REASON_SIMILAR_NAME = "similar_name"
MAX_DUPLICATE_GROUPS = 500
MAX_SIMILARITY_PROBES = 100


@dataclass
class DuplicatePair:
    """Two records that are probably one company, and why we think so."""

    first: Company
    second: Company
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int]:
        return (self.first.pk, self.second.pk)


def _buckets(candidates: QuerySet[Company], groups: QuerySet, keys: tuple[str, ...]) -> list[list[Company]]:
    """The records of `candidates` sharing the values of `keys`, for the groups found (two or more each)."""
    name_keys = [group["name_key"] for group in groups]
    if not name_keys:
        return []
    buckets: dict[tuple, list[Company]] = {}
    for company in candidates.filter(name_key__in=name_keys).select_related(*LIST_RELATED).order_by("pk"):
        buckets.setdefault(tuple(getattr(company, k) for k in keys), []).append(company)
    return [bucket for bucket in buckets.values() if len(bucket) > 1]


def duplicate_pairs_for(user, *, similar: bool = False) -> list[DuplicatePair]:
    """Probable duplicate pairs among the user's live records (not merged), most certain first.

    1. the same normalised name in the same municipality;
    2. the same normalised name where at least one side has no corporate number;
    3. with `similar`, names the matcher finds very similar in the same municipality (slower, so asked for
       explicitly and bounded: the most recently changed records without a corporate number are probed).
    Two records with different corporate numbers are different legal entities and never paired.
    """
    if not user.has_perm("companies.review_duplicates"):
        return []
    live = companies_for(user).exclude(status=CompanyStatus.MERGED)
    pairs: dict[tuple[int, int], DuplicatePair] = {}

    def add(a: Company, b: Company, reason: str) -> None:
        if a.corporate_number and b.corporate_number:
            return
        first, second = (a, b) if a.pk < b.pk else (b, a)
        pair = pairs.setdefault((first.pk, second.pk), DuplicatePair(first, second))
        if reason not in pair.reasons:
            pair.reasons.append(reason)

    same_place = (
        live.filter(municipality__isnull=False)
        .values("name_key", "municipality_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("name_key")[:MAX_DUPLICATE_GROUPS]
    )
    for bucket in _buckets(live.filter(municipality__isnull=False), same_place, ("name_key", "municipality_id")):
        for a, b in combinations(bucket, 2):
            add(a, b, REASON_SAME_NAME_MUNICIPALITY)

    same_name = (
        live.values("name_key")
        .annotate(n=Count("pk"), without_number=Count("pk", filter=Q(corporate_number__isnull=True)))
        .filter(n__gt=1, without_number__gt=0)
        .order_by("name_key")[:MAX_DUPLICATE_GROUPS]
    )
    for bucket in _buckets(live, same_name, ("name_key",)):
        for a, b in combinations(bucket, 2):
            add(a, b, REASON_SAME_NAME_NO_NUMBER)

    if similar:
        probes = (
            live.filter(corporate_number__isnull=True, municipality__isnull=False)
            .select_related(*LIST_RELATED)
            .order_by("-updated_at")[:MAX_SIMILARITY_PROBES]
        )
        for company in probes:
            for other in similar_companies(company, queryset=live.filter(municipality_id=company.municipality_id)):
                add(company, other, REASON_SIMILAR_NAME)

    order = {REASON_SAME_NAME_MUNICIPALITY: 0, REASON_SAME_NAME_NO_NUMBER: 1, REASON_SIMILAR_NAME: 2}
    return sorted(pairs.values(), key=lambda p: (min(order[r] for r in p.reasons), p.first.name_key, p.key))
