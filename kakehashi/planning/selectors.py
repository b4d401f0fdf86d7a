"""Reads of the visit planner, narrowed to what the user may see (they mirror the rules in rules.py)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from kakehashi.accounts.choices import Role
from kakehashi.outreach.choices import COUNTED_VISIT_STATUSES
from kakehashi.outreach.models import Programme, ProgrammeMembership, Visit

from .choices import PlanStatus, RunStatus, StratumKind
from .models import CommunicatorProfile, CompanionRequest, CompanyConstraint, Plan, PlanVisit, StratumQuota

VISIT_RELATED = ("company", "company__municipality", "communicator", "companion")


def _programme_ids(user, *roles: str) -> list[int]:
    return list(
        ProgrammeMembership.objects.filter(user=user, role__in=roles).values_list("programme_id", flat=True).distinct()
    )


def plans_for(user, *, programme: Programme | None = None) -> QuerySet[Plan]:
    """Plan versions the user may open: managers all of their programme's, prefecture staff all but drafts."""
    if not user.is_authenticated:
        return Plan.objects.none()
    queryset = Plan.objects.select_related("programme", "created_by", "submitted_by", "decided_by")
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if user.is_superuser:
        return queryset
    visible = Q(programme_id__in=_programme_ids(user, Role.MANAGER)) | (
        Q(programme_id__in=_programme_ids(user, Role.PREFECTURE)) & ~Q(status=PlanStatus.DRAFT)
    )
    return queryset.filter(visible)


def plan_for(user, pk: int) -> Plan | None:
    return plans_for(user).filter(pk=pk).first()


def approved_plan(programme: Programme | None) -> Plan | None:
    if programme is None:
        return None
    return Plan.objects.filter(programme=programme, status=PlanStatus.APPROVED, run_status=RunStatus.DONE).first()


def previous_version(plan: Plan) -> Plan | None:
    """The version just before `plan` that was computed (what the diff compares with)."""
    return (
        Plan.objects.filter(programme_id=plan.programme_id, version__lt=plan.version, run_status=RunStatus.DONE)
        .order_by("-version")
        .first()
    )


def plan_visits(plan: Plan) -> QuerySet[PlanVisit]:
    return plan.visits.select_related(*VISIT_RELATED)


def scheduled_visits(plan: Plan) -> QuerySet[PlanVisit]:
    return plan_visits(plan).filter(alternative_kind="").order_by("day", "communicator__username", "order")


def alternatives(plan: Plan) -> QuerySet[PlanVisit]:
    return plan_visits(plan).exclude(alternative_kind="").order_by("-designated", "company__name_key")


def communicator_summary(plan: Plan) -> list[dict[str, Any]]:
    """Per communicator: visits, days, km and travel hours of the scheduled visits (one query)."""
    rows = (
        plan.visits.filter(alternative_kind="")
        .values("communicator_id", "communicator__username", "communicator__display_name")
        .annotate(
            visits=Count("pk"),
            days=Count("day", distinct=True),
            km=Sum("travel_km"),
            minutes=Sum("travel_minutes"),
            locked=Count("pk", filter=Q(locked=True)),
        )
        .order_by("communicator__username")
    )
    return [
        {
            "id": row["communicator_id"],
            "name": row["communicator__display_name"] or row["communicator__username"],
            "visits": row["visits"],
            "days": row["days"],
            "km": round(row["km"] or 0, 1),
            "hours": round((row["minutes"] or 0) / 60, 1),
            "locked": row["locked"],
            "per_day": round(row["visits"] / row["days"], 2) if row["days"] else 0,
        }
        for row in rows
    ]


def monthly_summary(plan: Plan) -> list[dict[str, Any]]:
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for day in plan.visits.filter(alternative_kind="").values_list("day", flat=True):
        counts[(day.year, day.month)] += 1
    return [{"year": y, "month": m, "key": f"{y}-{m:02d}", "visits": n} for (y, m), n in sorted(counts.items())]


@dataclass
class PlanDiff:
    """What changed from one version to the next."""

    previous: Plan | None
    added: list[PlanVisit] = field(default_factory=list)
    removed: list[PlanVisit] = field(default_factory=list)
    moved: list[tuple[PlanVisit, PlanVisit]] = field(default_factory=list)  # (before, after)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.moved)


def plan_diff(plan: Plan, previous: Plan | None = None) -> PlanDiff:
    """Compare a version with the previous one: companies added, removed, and moved (day, communicator or kind)."""
    previous = previous if previous is not None else previous_version(plan)
    diff = PlanDiff(previous=previous)
    if previous is None:
        return diff
    before = {v.company_id: v for v in plan_visits(previous)}
    after = {v.company_id: v for v in plan_visits(plan)}
    for company_id, visit in after.items():
        old = before.get(company_id)
        if old is None:
            diff.added.append(visit)
        elif (old.day, old.communicator_id, old.alternative_kind) != (
            visit.day,
            visit.communicator_id,
            visit.alternative_kind,
        ):
            diff.moved.append((old, visit))
        else:
            diff.unchanged += 1
    diff.removed = [v for company_id, v in before.items() if company_id not in after]
    key = lambda v: (v.day or datetime.date.max, v.company.name_key)  # noqa: E731
    diff.added.sort(key=key)
    diff.removed.sort(key=key)
    diff.moved.sort(key=lambda pair: key(pair[1]))
    return diff


# --- Inputs --------------------------------------------------------------------------------------------------------


def quotas_for(programme: Programme, kind: str) -> QuerySet[StratumQuota]:
    return StratumQuota.objects.filter(programme=programme, kind=kind).order_by("key")


def communicator_profiles_for(programme: Programme) -> QuerySet[CommunicatorProfile]:
    return (
        CommunicatorProfile.objects.filter(programme=programme)
        .select_related("user", "home_municipality")
        .prefetch_related("regions")
        .annotate(leave_count=Count("leaves", distinct=True))
        .order_by("user__username")
    )


def company_constraints_for(programme: Programme) -> QuerySet[CompanyConstraint]:
    return CompanyConstraint.objects.filter(programme=programme).select_related("company").order_by("company__name_key")


def companion_requests_for(programme: Programme) -> QuerySet[CompanionRequest]:
    return (
        CompanionRequest.objects.filter(programme=programme)
        .select_related("company", "companion")
        .order_by("company__name_key", "companion__username")
    )


def profile_by_token(token: str) -> CommunicatorProfile | None:
    if not token or len(token) < 20:
        return None
    return CommunicatorProfile.objects.filter(feed_token=token).select_related("user", "programme").first()


# --- Communicators' days -------------------------------------------------------------------------------------------


def planned_days_for(user, programme: Programme | None, communicator) -> QuerySet[PlanVisit]:
    """The approved plan's scheduled visits of `communicator`, if `user` may see them (own, or as manager)."""
    plan = approved_plan(programme)
    if plan is None or communicator is None or not user.is_authenticated:
        return PlanVisit.objects.none()
    if not (user.is_superuser or user.pk == communicator.pk or user.has_perm("planning.manage_planning", programme)):
        return PlanVisit.objects.none()
    return scheduled_visits(plan).filter(communicator=communicator)


def upcoming_for(user, programme: Programme | None, *, today: datetime.date, limit: int = 20) -> list[PlanVisit]:
    """The user's own planned visits for today and the coming days (the field home's 訪問予定)."""
    return list(planned_days_for(user, programme, user).filter(day__gte=today)[:limit])


def done_companies(programme: Programme) -> set[int]:
    return set(
        Visit.objects.filter(programme=programme, status__in=COUNTED_VISIT_STATUSES, company__isnull=False)
        .values_list("company_id", flat=True)
        .distinct()
    )


# --- Progress against the approved plan ----------------------------------------------------------------------------


def approved_quotas(programme: Programme) -> dict[str, dict[str, int]] | None:
    """The approved plan's companies per breakdown row (region, JSIC 大分類, business form), or None."""
    plan = approved_plan(programme)
    if plan is None:
        return None
    quotas: dict[str, dict[str, int]] = {"region": {}, "industry": {}, "business_form": {}}
    for kind, key, quota in StratumQuota.objects.filter(programme=programme).values_list("kind", "key", "quota"):
        if kind == StratumKind.REGION_INDUSTRY:
            region, _sep, major = key.partition("|")
            if region != "-":
                quotas["region"][region] = quotas["region"].get(region, 0) + quota
            if major != "-":
                quotas["industry"][major] = quotas["industry"].get(major, 0) + quota
        elif key != "-":
            quotas["business_form"][key] = quotas["business_form"].get(key, 0) + quota
    return quotas


def plan_progress(programme: Programme, *, today: datetime.date) -> dict[str, Any] | None:
    """Planned vs done to date for the approved plan: per month and per communicator."""
    plan = approved_plan(programme)
    if plan is None:
        return None
    done = done_companies(programme)
    scheduled = list(plan.visits.filter(alternative_kind="").values_list("company_id", "communicator_id", "day"))
    actual_by_month: dict[tuple[int, int], int] = defaultdict(int)
    for day in (
        Visit.objects.filter(programme=programme, status__in=COUNTED_VISIT_STATUSES, visit_date__lte=today)
        .values_list("visit_date", flat=True)
        .iterator()
    ):
        if day:
            actual_by_month[(day.year, day.month)] += 1
    months: dict[tuple[int, int], dict[str, int]] = {}
    people: dict[int, dict[str, int]] = {}
    for company_id, communicator_id, day in scheduled:
        month = months.setdefault((day.year, day.month), {"planned": 0, "planned_to_date": 0, "done_of_planned": 0})
        person = people.setdefault(communicator_id, {"planned": 0, "planned_to_date": 0, "done_of_planned": 0})
        for bucket in (month, person):
            bucket["planned"] += 1
            if day <= today:
                bucket["planned_to_date"] += 1
                if company_id in done:
                    bucket["done_of_planned"] += 1
    from django.contrib.auth import get_user_model

    names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=people)}
    month_rows = [
        {"year": y, "month": m, **values, "actual": actual_by_month.get((y, m), 0)}
        for (y, m), values in sorted(months.items())
    ]
    planned_to_date = sum(r["planned_to_date"] for r in month_rows)
    done_of_planned = sum(r["done_of_planned"] for r in month_rows)
    return {
        "plan": plan,
        "months": month_rows,
        "communicators": [
            {"name": names.get(pk, "—"), **values}
            for pk, values in sorted(people.items(), key=lambda kv: names.get(kv[0], ""))
        ],
        "planned_total": len(scheduled),
        "planned_to_date": planned_to_date,
        "done_of_planned": done_of_planned,
        "percent": round(done_of_planned * 100 / planned_to_date, 1) if planned_to_date else None,
    }
