"""Reads for referrals, advice threads and the priority list, narrowed to what the user may see.

Consent (APPI): a coordinator (機構の DX推進コーディネータ) sees a company only when, in a programme they
coordinate, the company agreed to share at a counted visit (`Visit.consent_share_foundation`) or was referred
(a referral is made only with the company's agreement). Contact details only where a referral's consent
scope covers them, and then only the contact named on that referral. `kakehashi.companies.selectors` and
`kakehashi.outreach.selectors` call `coordinator_company_ids` / `shared_visits_q` / `shared_contact_ids`.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from kakehashi.accounts.choices import Role

from .choices import (
    CONSULTATION_STATUSES,
    FUNNEL_INTRODUCTION_CODES,
    FUNNEL_OUTCOME_CODES,
    SUPPORT_STATUSES,
    AdviceStatus,
    ConsentScope,
    FunnelStage,
    PriorityDecisionKind,
)
from .models import AdviceThread, PriorityDecision, PriorityEntry, PrioritySnapshot, PriorityWeights, Referral

COUNTED = ("submitted", "accepted")


def _programme_ids(user, *roles: str) -> list[int]:
    from kakehashi.outreach.models import ProgrammeMembership

    if not user.is_authenticated:
        return []
    return list(
        ProgrammeMembership.objects.filter(user=user, role__in=roles).values_list("programme_id", flat=True).distinct()
    )


# --- Consent-based visibility for coordinators -------------------------------------------------------------------


def coordinated_programme_ids(user) -> list[int]:
    """The programmes in which `user` is a coordinator (cached on the user for the request)."""
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_kh_coordinated", None)
    if cache is None:
        cache = _programme_ids(user, Role.COORDINATOR)
        user.__dict__["_kh_coordinated"] = cache
    return cache


def shared_visits_q(programme_ids, prefix: str = "") -> Q:
    """Visits a coordinator of `programme_ids` may read: counted, and the company agreed to share."""
    return Q(
        **{
            f"{prefix}programme_id__in": programme_ids,
            f"{prefix}status__in": COUNTED,
            f"{prefix}consent_share_foundation": True,
            f"{prefix}company__isnull": False,
        }
    )


def coordinator_company_ids(user) -> QuerySet:
    """Ids of the companies a coordinator may see (a subquery): shared at a visit or referred."""
    from kakehashi.companies.models import Company
    from kakehashi.outreach.models import Visit

    ids = coordinated_programme_ids(user)
    shared = Visit.objects.filter(shared_visits_q(ids), company=OuterRef("pk"))
    referred = Referral.objects.filter(programme_id__in=ids, company=OuterRef("pk"))
    return Company.objects.filter(Exists(shared) | Exists(referred)).values("pk")


def shared_contact_ids(user, company=None) -> QuerySet:
    """Ids of contacts whose details a coordinator may see: named on a referral whose consent covers them."""
    referrals = Referral.objects.filter(
        programme_id__in=coordinated_programme_ids(user), consent_scope=ConsentScope.CONTACT, contact__isnull=False
    )
    if company is not None:
        referrals = referrals.filter(company=company)
    return referrals.values("contact_id")


def may_view_shared_contacts(user, company) -> bool:
    """Whether a coordinator may see any contact details of `company` (not `has_perm`: superusers never do)."""
    if not user.is_authenticated or not user.has_role(Role.COORDINATOR):
        return False
    return shared_contact_ids(user, company).exists()


# --- Referrals ----------------------------------------------------------------------------------------------------

REFERRAL_LIST_RELATED = ("company", "programme", "referred_by", "coordinator", "visit")


def referrals_for(user, *, programme=None) -> QuerySet[Referral]:
    """Referrals the user may read: every referral of the programmes where they are prefecture staff, manager,
    communicator or coordinator (a referral exists only with the company's agreement)."""
    if not user.is_authenticated:
        return Referral.objects.none()
    queryset = Referral.objects.all()
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if user.is_superuser:
        return queryset
    ids = _programme_ids(user, Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR)
    return queryset.filter(programme_id__in=ids)


def referral_list_for(user, *, programme=None) -> QuerySet[Referral]:
    return referrals_for(user, programme=programme).select_related(*REFERRAL_LIST_RELATED)


def referral_for(user, pk: int) -> Referral | None:
    return (
        referrals_for(user)
        .select_related(*REFERRAL_LIST_RELATED, "contact", "company__municipality")
        .prefetch_related("challenges")
        .filter(pk=pk)
        .first()
    )


def referral_events(referral: Referral) -> QuerySet:
    return referral.events.select_related("actor").order_by("occurred_on", "id")


def referrals_in_period(*, programme, start: datetime.date | None, end: datetime.date | None) -> QuerySet[Referral]:
    """Referrals of `programme` made between `start` and `end` (inclusive; either may be None), for reports."""
    queryset = Referral.objects.filter(programme=programme)
    if start is not None:
        queryset = queryset.filter(referred_on__gte=start)
    if end is not None:
        queryset = queryset.filter(referred_on__lte=end)
    return queryset.select_related("company", "referred_by", "coordinator").prefetch_related("challenges")


def _dated(field: str, start, end) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def referral_funnel(*, programme, start: datetime.date | None = None, end: datetime.date | None = None) -> list[dict]:
    """Distinct companies at each funnel stage in the period, in order, computed in the database.

    - introduced: the foundation, the technology centre or coordinator support was introduced at a counted visit;
    - solicited: the company agreed (outcome 機構への相談申込 / 工業技術センター相談 / 伴走支援希望) or was referred;
    - consultation: a referral reached 相談開始 (or later);
    - support: a referral reached 支援中 (or 完了).
    Each stage counts the event dated in the period (visit date, referral date, date of the move). A company
    that reached a later stage in the period is counted in every earlier one too, so the funnel never widens.
    """
    from kakehashi.companies.models import Company
    from kakehashi.outreach.models import Visit

    from .models import ReferralEvent

    visits = Visit.objects.filter(programme=programme, status__in=COUNTED, company__isnull=False).filter(
        _dated("visit_date", start, end)
    )
    introduced = visits.filter(introductions__code__in=FUNNEL_INTRODUCTION_CODES).values("company_id")
    agreed = visits.filter(outcomes__code__in=FUNNEL_OUTCOME_CODES).values("company_id")
    referred = Referral.objects.filter(programme=programme).filter(_dated("referred_on", start, end))
    events = ReferralEvent.objects.filter(referral__programme=programme).filter(_dated("occurred_on", start, end))
    consultation = events.filter(to_status__in=CONSULTATION_STATUSES).values("referral__company_id")
    support = events.filter(to_status__in=SUPPORT_STATUSES).values("referral__company_id")

    support_q = Q(pk__in=support)
    consultation_q = support_q | Q(pk__in=consultation)
    solicited_q = consultation_q | Q(pk__in=agreed) | Q(pk__in=referred.values("company_id"))
    introduced_q = solicited_q | Q(pk__in=introduced)
    counts = Company.objects.aggregate(
        introduced=_count_if(introduced_q),
        solicited=_count_if(solicited_q),
        consultation=_count_if(consultation_q),
        support=_count_if(support_q),
    )
    return [{"key": stage.value, "label": str(stage.label), "count": counts[stage.value] or 0} for stage in FunnelStage]


def _count_if(q: Q):
    from django.db.models import Count

    return Count("pk", filter=q)


# --- Advice threads ----------------------------------------------------------------------------------------------


def advice_threads_for(user, *, programme=None) -> QuerySet[AdviceThread]:
    """Threads of the programmes where the user is prefecture staff, manager, communicator or coordinator."""
    if not user.is_authenticated:
        return AdviceThread.objects.none()
    queryset = AdviceThread.objects.all()
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if not user.is_superuser:
        ids = _programme_ids(user, Role.PREFECTURE, Role.MANAGER, Role.COMMUNICATOR, Role.COORDINATOR)
        queryset = queryset.filter(programme_id__in=ids)
    return queryset.select_related("company", "opened_by", "programme")


def advice_thread_for(user, pk: int) -> AdviceThread | None:
    return advice_threads_for(user).filter(pk=pk).first()


def advice_waiting_for(user, *, programme=None) -> QuerySet[AdviceThread]:
    """The "waiting for an answer" list: threads whose last message is a question."""
    return advice_threads_for(user, programme=programme).filter(status=AdviceStatus.WAITING).order_by("last_message_at")


def advice_messages(thread: AdviceThread) -> QuerySet:
    return thread.messages.select_related("author").order_by("created_at", "id")


# --- Priority list -----------------------------------------------------------------------------------------------


def current_weights(programme) -> PriorityWeights | None:
    return PriorityWeights.objects.filter(programme=programme).order_by("-version").first()


def weights_history(programme) -> QuerySet[PriorityWeights]:
    return PriorityWeights.objects.filter(programme=programme).select_related("created_by").order_by("-version")


def latest_snapshot(programme) -> PrioritySnapshot | None:
    return (
        PrioritySnapshot.objects.filter(programme=programme)
        .select_related("weights", "computed_by")
        .order_by("-computed_at", "-id")
        .first()
    )


def snapshots_for(programme) -> QuerySet[PrioritySnapshot]:
    return PrioritySnapshot.objects.filter(programme=programme).select_related("weights", "computed_by")


def priority_entries_for(user, snapshot: PrioritySnapshot | None, *, decision: str = "") -> QuerySet[PriorityEntry]:
    """The ranks of `snapshot` the user may see, with the newest decision on each company annotated.

    The list is built from shared visits only, so it holds nothing a coordinator may not see; the filter on
    `coordinator_company_ids` keeps that true for a coordinator even if a company withdrew its consent since.
    """
    if snapshot is None or not user.has_perm("sharing.view_priority", snapshot.programme):
        return PriorityEntry.objects.none()
    from django.db.models import Subquery

    latest = PriorityDecision.objects.filter(programme_id=snapshot.programme_id, company=OuterRef("company_id"))
    latest = latest.order_by("-created_at", "-id")
    queryset = snapshot.entries.select_related(
        "company__municipality", "company__business_form", "company__employees_band"
    ).annotate(
        decision_kind=Subquery(latest.values("kind")[:1]),
        decision_note=Subquery(latest.values("note")[:1]),
        decision_at=Subquery(latest.values("created_at")[:1]),
    )
    if not user.is_superuser and user.has_role(Role.COORDINATOR) and not user.has_role(Role.PREFECTURE, Role.MANAGER):
        queryset = queryset.filter(company_id__in=coordinator_company_ids(user))
    if decision == "none":
        queryset = queryset.filter(decision_kind__isnull=True)
    elif decision in PriorityDecisionKind.values:
        queryset = queryset.filter(decision_kind=decision)
    return queryset.order_by("rank")


def previous_ranks(snapshot: PrioritySnapshot | None, company_ids) -> dict[int, int]:
    """Each company's rank in the snapshot before `snapshot` (for the "was 12th" hint)."""
    if snapshot is None:
        return {}
    previous = (
        PrioritySnapshot.objects.filter(programme_id=snapshot.programme_id)
        .filter(Q(computed_at__lt=snapshot.computed_at) | Q(computed_at=snapshot.computed_at, id__lt=snapshot.id))
        .order_by("-computed_at", "-id")
        .first()
    )
    if previous is None:
        return {}
    return dict(previous.entries.filter(company_id__in=company_ids).values_list("company_id", "rank"))


def decisions_for_company(programme, company) -> QuerySet[PriorityDecision]:
    return PriorityDecision.objects.filter(programme=programme, company=company).select_related("decided_by")
