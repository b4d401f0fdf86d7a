"""Turning the programme's records into the planner's `PlanProblem` (reads only; the services store results).

Strata: "region_industry" keys are `<region code>|<JSIC 大分類>`, "business_form" keys the business-form
code; a company without the attribute falls in the `-` stratum of that part. Locations are the
municipal office's coordinates (the registry keeps no finer geocode yet). Working days drop weekends
outside the communicator's working weekdays, Japanese national holidays (jpholiday), the year-end
closure 12/29–1/3 and the communicator's leave.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

import jpholiday
from django.db.models import Avg, Q

from kakehashi.companies.choices import CompanyStatus
from kakehashi.companies.models import Company
from kakehashi.outreach.choices import COUNTED_VISIT_STATUSES
from kakehashi.outreach.models import DesignatedCompany, Programme, ProgrammeMembership, Visit
from kakehashi.reference.models import CodeItem, Industry, Municipality, Region

from .choices import UNSET_KEY, StratumKind
from .engine import types as t
from .models import CommunicatorProfile, CompanionRequest, CompanyConstraint, Plan, PlanSettings

YEAR_END = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}


def minutes(value: datetime.time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def is_closed_day(day: datetime.date) -> bool:
    """National holidays (jpholiday) and the year-end closure; weekends are the communicator's matter."""
    return jpholiday.is_holiday(day) or (day.month, day.day) in YEAR_END


def working_days(profile: CommunicatorProfile, start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
    leave = set(profile.leaves.values_list("day", flat=True))
    weekdays = profile.weekday_set
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in leave and not is_closed_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return tuple(days)


@dataclass
class Stratification:
    """Which stratum every company of the prefecture falls in, with labels for the screens."""

    region_of_municipality: dict[int, str]
    major_of_industry: dict[int, str]
    region_labels: dict[str, str]
    industry_labels: dict[str, str]
    form_labels: dict[str, str]

    def keys(self, municipality_id, industry_id, form_code) -> dict[str, str]:
        region = self.region_of_municipality.get(municipality_id, UNSET_KEY)
        major = self.major_of_industry.get(industry_id, UNSET_KEY)
        return {
            StratumKind.REGION_INDUSTRY: f"{region}|{major}",
            StratumKind.BUSINESS_FORM: form_code or UNSET_KEY,
        }

    def label(self, kind: str, key: str) -> str:
        if kind == StratumKind.REGION_INDUSTRY:
            region, _sep, major = key.partition("|")
            return f"{self.region_labels.get(region, '未設定')} × {self.industry_labels.get(major, '未設定')}"
        return self.form_labels.get(key, "未設定")


def stratification(programme: Programme) -> Stratification:
    regions = Region.objects.filter(prefecture_id=programme.prefecture_id, active=True).order_by("order", "code")
    region_code = {r.pk: r.code for r in regions}
    region_of_municipality = {
        municipality_id: region_code[region_id]
        for region_id, municipality_id in Region.municipalities.through.objects.filter(
            region_id__in=region_code
        ).values_list("region_id", "municipality_id")
    }
    industries = list(Industry.objects.only("pk", "code", "parent_id", "name"))
    by_pk = {i.pk: i for i in industries}
    major_of_industry = {i.pk: (by_pk[i.parent_id].code if i.parent_id else i.code) for i in industries}
    return Stratification(
        region_of_municipality=region_of_municipality,
        major_of_industry=major_of_industry,
        region_labels={r.code: r.name for r in regions},
        industry_labels={i.code: i.name for i in industries if not i.parent_id},
        form_labels={c.code: c.label for c in CodeItem.objects.filter(list="business_form")},
    )


def heard_company_ids(programme: Programme, *, lookback_years: int, today: datetime.date) -> set[int]:
    """Companies with a counted hearing (any programme) in the look-back window."""
    since = today.replace(year=today.year - lookback_years) if lookback_years else today
    return set(
        Visit.objects.filter(status__in=COUNTED_VISIT_STATUSES, company__isnull=False, visit_date__gte=since)
        .values_list("company_id", flat=True)
        .distinct()
    )


def candidate_queryset(programme: Programme, plan_settings: PlanSettings, *, today: datetime.date):
    """The candidate pool: active companies of the prefecture (filtered by size and recent hearings) + designated."""
    designated = DesignatedCompany.objects.filter(programme=programme).values("company_id")
    pool = Company.objects.filter(
        municipality__prefecture_id=programme.prefecture_id, status=CompanyStatus.ACTIVE, merged_into__isnull=True
    )
    bands = list(plan_settings.employees_bands.values_list("pk", flat=True))
    if bands:
        pool = pool.filter(employees_band_id__in=bands)
    if plan_settings.exclude_heard:
        pool = pool.exclude(
            pk__in=heard_company_ids(programme, lookback_years=plan_settings.lookback_years, today=today)
        )
    declined = CompanyConstraint.objects.filter(programme=programme, declined=True).values("company_id")
    pool = pool.exclude(pk__in=declined)
    return Company.objects.filter(Q(pk__in=pool.values("pk")) | Q(pk__in=designated))


def prefecture_centre(programme: Programme) -> t.Point:
    centre = Municipality.objects.filter(
        prefecture_id=programme.prefecture_id, latitude__isnull=False, longitude__isnull=False
    ).aggregate(lat=Avg("latitude"), lng=Avg("longitude"))
    return t.Point(centre["lat"] or 38.24, centre["lng"] or 140.36)


def pool_strata(programme: Programme, plan_settings: PlanSettings, *, today: datetime.date) -> dict[str, dict]:
    """{kind: {key: count}} of the candidate pool (what default quotas are proportional to)."""
    strat = stratification(programme)
    counts: dict[str, dict[str, int]] = {kind: {} for kind in StratumKind.values}
    rows = candidate_queryset(programme, plan_settings, today=today).values_list(
        "municipality_id", "industry_id", "business_form__code"
    )
    for municipality_id, industry_id, form in rows.iterator(chunk_size=2000):
        for kind, key in strat.keys(municipality_id, industry_id, form).items():
            counts[kind][key] = counts[kind].get(key, 0) + 1
    return counts


@dataclass
class BuiltProblem:
    """The problem with what the app needs to map the result back and explain it."""

    problem: t.PlanProblem
    designated_ids: set[int]
    locked_done: dict[int, t.LockedVisit] = field(default_factory=dict)
    locked_fixed: dict[int, t.LockedVisit] = field(default_factory=dict)
    companions: dict[int, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def _done_visits(programme: Programme, communicator_ids: set[int]) -> dict[int, t.LockedVisit]:
    """A counted visit per company in this programme, as a locked visit of the communicator who made it."""
    through = Visit.communicators.through
    first_communicator: dict[int, int] = {}
    for visit_id, user_id in through.objects.filter(
        visit__programme=programme, visit__status__in=COUNTED_VISIT_STATUSES, user_id__in=communicator_ids
    ).values_list("visit_id", "user_id"):
        first_communicator.setdefault(visit_id, user_id)
    done: dict[int, t.LockedVisit] = {}
    visits = (
        Visit.objects.filter(programme=programme, status__in=COUNTED_VISIT_STATUSES, company__isnull=False)
        .order_by("visit_date", "start_time", "pk")
        .values_list("pk", "company_id", "visit_date", "start_time", "recorded_by_id")
    )
    for visit_id, company_id, day, start, recorder in visits:
        if company_id in done or day is None:
            continue
        who = first_communicator.get(visit_id) or (recorder if recorder in communicator_ids else None)
        if who is None:
            continue
        done[company_id] = t.LockedVisit(communicator_id=who, day=day, start=minutes(start) or 9 * 60)
    return done


def done_company_ids(programme: Programme) -> set[int]:
    return set(
        Visit.objects.filter(programme=programme, status__in=COUNTED_VISIT_STATUSES, company__isnull=False)
        .values_list("company_id", flat=True)
        .distinct()
    )


def build_problem(
    programme: Programme,
    *,
    quotas: dict[str, dict[str, int]],
    base_plan: Plan | None = None,
    seconds: float | None = None,
    today: datetime.date,
    schedule_from: datetime.date | None = None,
) -> BuiltProblem:
    """The `PlanProblem` of `programme` as of `today`: candidates, communicators and settings from the database."""
    plan_settings = programme.plan_settings
    period_start, end = plan_settings.start, plan_settings.end
    # New visits from tomorrow on (or `schedule_from`); earlier days hold only the visits already done.
    start = max(period_start, schedule_from or today + datetime.timedelta(days=1))
    strat = stratification(programme)
    centre = prefecture_centre(programme)
    warnings: list[str] = []

    communicator_ids = set(
        ProgrammeMembership.objects.filter(programme=programme, role="communicator").values_list("user_id", flat=True)
    )
    profiles = list(
        CommunicatorProfile.objects.filter(programme=programme, active=True, user_id__in=communicator_ids)
        .select_related("home_municipality", "user")
        .prefetch_related("regions", "leaves")
        .order_by("user__username")
    )
    profile_ids = {p.user_id for p in profiles}

    designated_ids = set(DesignatedCompany.objects.filter(programme=programme).values_list("company_id", flat=True))
    heard = heard_company_ids(programme, lookback_years=plan_settings.lookback_years, today=today)
    done = _done_visits(programme, profile_ids)
    done_elsewhere = done_company_ids(programme) - set(done)
    fixed: dict[int, t.LockedVisit] = {}
    if base_plan is not None:
        for company_id, user_id, day, start_time in base_plan.visits.filter(
            fixed=True, alternative_kind="", communicator_id__in=profile_ids, day__gte=start
        ).values_list("company_id", "communicator_id", "day", "start_time"):
            if company_id not in done and company_id not in done_elsewhere:
                fixed[company_id] = t.LockedVisit(communicator_id=user_id, day=day, start=minutes(start_time))
    constraints = {c.company_id: c for c in CompanyConstraint.objects.filter(programme=programme)}
    companions: dict[int, int] = {}
    for company_id, companion_id in CompanionRequest.objects.filter(programme=programme).values_list(
        "company_id", "companion_id"
    ):
        companions.setdefault(company_id, companion_id)

    rows = (
        candidate_queryset(programme, plan_settings, today=today)
        .exclude(pk__in=done_elsewhere)
        .values_list(
            "pk",
            "municipality_id",
            "municipality__latitude",
            "municipality__longitude",
            "industry_id",
            "business_form__code",
        )
        .order_by("pk")
    )
    candidates = []
    region_of_candidate: dict[int, str] = {}
    no_location = 0
    for pk, municipality_id, lat, lng, industry_id, form in rows.iterator(chunk_size=2000):
        if lat is None or lng is None:
            if pk not in designated_ids and pk not in done and pk not in fixed:
                no_location += 1
                continue
            point = centre
        else:
            point = t.Point(lat, lng)
        constraint = constraints.get(pk)
        region_of_candidate[pk] = strat.region_of_municipality.get(municipality_id, UNSET_KEY)
        window = None
        if constraint and (constraint.earliest_time or constraint.latest_time):
            window = (minutes(constraint.earliest_time) or 0, minutes(constraint.latest_time) or 24 * 60 - 1)
        candidates.append(
            t.Candidate(
                company_id=pk,
                point=point,
                strata=strat.keys(municipality_id, industry_id, form),
                designated=pk in designated_ids,
                heard_before=pk in heard,
                online_only=bool(constraint and (constraint.online_only or constraint.declined)),
                not_before=constraint.not_before if constraint else None,
                not_after=constraint.not_after if constraint else None,
                preferred_weekdays=frozenset(int(d) for d in constraint.preferred_weekdays)
                if constraint
                else frozenset(),
                window=window,
                duration=constraint.duration_minutes if constraint else None,
                companion_id=companions.get(pk),
                locked=done.get(pk) or fixed.get(pk),
            )
        )
    if no_location:
        warnings.append(f"所在地（市区町村）の分からない候補 {no_location} 社を除きました")

    communicators = []
    for profile in profiles:
        if profile.home_latitude is not None and profile.home_longitude is not None:
            home = t.Point(profile.home_latitude, profile.home_longitude)
        elif profile.home_municipality and profile.home_municipality.latitude is not None:
            home = t.Point(profile.home_municipality.latitude, profile.home_municipality.longitude)
        else:
            home = centre
            warnings.append(f"{profile.user} の拠点が未設定のため県の中心を拠点としました")
        days = working_days(profile, period_start, end)
        communicators.append(
            t.Communicator(
                communicator_id=profile.user_id,
                home=home,
                working_days=days,
                day_start=minutes(profile.day_start),
                day_end=minutes(profile.day_end),
                max_visits_per_day=profile.max_visits_per_day,
                region_codes=frozenset(r.code for r in profile.regions.all()),
                region_of_candidate=region_of_candidate if profile.regions.all() else {},
            )
        )
    if not communicators:
        warnings.append("計画の対象になっているコミュニケータがいません")

    # Hearings done by people who are not planned communicators still count toward the target and quotas.
    target = max(programme.target_count - len(done_elsewhere), 0)
    if done_elsewhere:
        quotas = {kind: dict(values) for kind, values in quotas.items()}
        for _company_id, municipality_id, industry_id, form in Company.objects.filter(
            pk__in=done_elsewhere
        ).values_list("pk", "municipality_id", "industry_id", "business_form__code"):
            for kind, key in strat.keys(municipality_id, industry_id, form).items():
                if quotas.get(kind, {}).get(key):
                    quotas[kind][key] -= 1

    problem = t.PlanProblem(
        candidates=tuple(candidates),
        communicators=tuple(communicators),
        settings=t.PlanSettings(
            target=target,
            quotas=quotas,
            visit_minutes=plan_settings.visit_minutes,
            detour_factor=plan_settings.detour_factor,
            speed_kmh=plan_settings.speed_kmh,
            seconds=float(seconds if seconds is not None else plan_settings.solver_seconds),
            compactness_weight=plan_settings.compactness_weight,
            plan_from=start,
        ),
    )
    summary = {
        "candidates": len(candidates),
        "designated": len(designated_ids),
        "heard_before": sum(1 for c in candidates if c.heard_before),
        "locked_done": len(done),
        "locked_fixed": len(fixed),
        "done_by_others": len(done_elsewhere),
        "schedule_from": start,
        "schedule_to": end,
        "communicators": [
            {
                "id": p.user_id,
                "name": str(p.user),
                "working_days": sum(1 for d in c.working_days if d >= start),
                "cap": p.max_visits_per_day,
            }
            for p, c in zip(profiles, communicators, strict=True)
        ],
        "warnings": warnings,
    }
    return BuiltProblem(
        problem=problem,
        designated_ids=designated_ids,
        locked_done=done,
        locked_fixed=fixed,
        companions=companions,
        summary=summary,
    )
