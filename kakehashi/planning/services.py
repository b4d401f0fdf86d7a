"""Writes of the visit planner: its inputs, running the solver and storing a version, and the approval.

Every service is keyword-only, validates with `full_clean()`, runs in a transaction and writes the
change log. `plan_create` makes a new version and queues the background run; `plan_run` (the task and
the `plan_visits` command) builds the problem from the database, calls the engine and stores the result.
"""

import dataclasses
import datetime
import logging
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction
from kakehashi.outreach.models import Programme, ProgrammeMembership

from . import problem as problem_builder
from .choices import EDITABLE_PLAN_STATES, AlternativeKind, PlanStatus, RunStatus, StratumKind
from .engine import types as t
from .models import (
    CommunicatorLeave,
    CommunicatorProfile,
    CompanionRequest,
    CompanyConstraint,
    Plan,
    PlanSettings,
    PlanVisit,
    StratumQuota,
    new_feed_token,
)

logger = logging.getLogger(__name__)
Solver = Callable[..., t.PlanResult]


# --- Settings and inputs -------------------------------------------------------------------------------------------


@transaction.atomic
def plan_settings_ensure(*, actor, programme: Programme) -> PlanSettings:
    """The programme's planner settings, created with the defaults the first time."""
    existing = PlanSettings.objects.filter(programme=programme).first()
    if existing is not None:
        return existing
    plan_settings = PlanSettings(programme=programme)
    plan_settings.full_clean()
    plan_settings.save()
    log_change(actor=actor, instance=plan_settings, action=ChangeAction.CREATE)
    return plan_settings


@transaction.atomic
def plan_settings_update(*, actor, plan_settings: PlanSettings, employees_bands=None, **fields: Any) -> PlanSettings:
    before = snapshot(plan_settings)
    before["employees_bands"] = sorted(plan_settings.employees_bands.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(plan_settings, name, value)
    plan_settings.full_clean()
    plan_settings.save()
    if employees_bands is not None:
        plan_settings.employees_bands.set(employees_bands)
    after = snapshot(plan_settings)
    after["employees_bands"] = sorted(plan_settings.employees_bands.values_list("pk", flat=True))
    log_change(actor=actor, instance=plan_settings, action=ChangeAction.UPDATE, before=before, after=after)
    return plan_settings


def proportional(pool: dict[str, int], total: int) -> dict[str, int]:
    """Split `total` over the keys in proportion to `pool` (largest remainder, so the parts add up to `total`)."""
    size = sum(pool.values())
    if size == 0 or total <= 0:
        return dict.fromkeys(pool, 0)
    exact = {key: Decimal(total) * count / size for key, count in pool.items()}
    parts = {key: int(value) for key, value in exact.items()}
    left = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - parts[k]), k))[:left]:
        parts[key] += 1
    return parts


@transaction.atomic
def quotas_sync(*, actor, programme: Programme, today: datetime.date | None = None, reset: bool = False) -> int:
    """Bring the stratum quotas in step with the candidate pool and the target.

    Quotas the manager edited stay as they are (unless `reset`); the rest of the target is spread over
    the other strata in proportion to the pool. Returns the number of strata.
    """
    today = today or timezone.localdate()
    plan_settings = plan_settings_ensure(actor=actor, programme=programme)
    counts = problem_builder.pool_strata(programme, plan_settings, today=today)
    strat = problem_builder.stratification(programme)
    existing = {(q.kind, q.key): q for q in StratumQuota.objects.filter(programme=programme)}
    total = 0
    for kind in StratumKind.values:
        pool = counts.get(kind, {})
        keys = set(pool) | {key for (k, key) in existing if k == kind}
        edited = {
            key: existing[(kind, key)].quota for key in keys if (kind, key) in existing and existing[(kind, key)].edited
        }
        if reset:
            edited = {}
        free = proportional(
            {k: pool.get(k, 0) for k in keys if k not in edited}, programme.target_count - sum(edited.values())
        )
        for key in sorted(keys):
            quota = edited.get(key, free.get(key, 0))
            row = existing.get((kind, key))
            if row is None:
                row = StratumQuota(programme=programme, kind=kind, key=key)
                before = None
            else:
                before = snapshot(row)
            row.label = strat.label(kind, key)[:120]
            row.pool = pool.get(key, 0)
            row.quota = quota
            row.edited = key in edited
            if row.pool == 0 and row.quota == 0 and not row.edited:
                if row.pk:
                    log_change(actor=actor, instance=row, action=ChangeAction.DELETE, before=before, after={})
                    row.delete()
                continue
            row.full_clean()
            row.save()
            log_change(
                actor=actor,
                instance=row,
                action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
                before=before or {},
            )
            total += 1
    return total


def parse_quota(text: str, *, target: int) -> int:
    """A quota typed as a number of companies ("12") or as a share of the target ("3.5%")."""
    value = (text or "").strip().replace("％", "%").replace(",", "")
    try:
        if value.endswith("%"):
            share = Decimal(value[:-1])
            if share < 0 or share > 100:
                raise ValueError
            return int((share * target / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        number = int(value)
    except (ValueError, ArithmeticError) as error:
        raise ValidationError(
            _("「%(value)s」は件数（例: 12）か割合（例: 3.5%%）で入力してください。") % {"value": text}
        ) from error
    if number < 0:
        raise ValidationError(_("割当数は0以上にしてください。"))
    return number


@transaction.atomic
def quotas_update(*, actor, programme: Programme, values: dict[int, int]) -> int:
    """Set quotas by hand ({quota pk: companies}); the changed ones are marked edited. Returns how many changed."""
    changed = 0
    for row in StratumQuota.objects.select_for_update().filter(programme=programme, pk__in=values):
        new = values[row.pk]
        if new == row.quota:
            continue
        before = snapshot(row)
        row.quota = new
        row.edited = True
        row.full_clean()
        row.save()
        log_change(actor=actor, instance=row, action=ChangeAction.UPDATE, before=before)
        changed += 1
    return changed


@transaction.atomic
def communicator_profiles_ensure(*, actor, programme: Programme) -> list[CommunicatorProfile]:
    """A planning profile for every communicator of the programme (new ones with the defaults)."""
    members = ProgrammeMembership.objects.filter(programme=programme, role="communicator").values_list(
        "user_id", flat=True
    )
    have = set(CommunicatorProfile.objects.filter(programme=programme).values_list("user_id", flat=True))
    for user_id in members:
        if user_id in have:
            continue
        profile = CommunicatorProfile(programme=programme, user_id=user_id)
        profile.full_clean()
        profile.save()
        log_change(actor=actor, instance=profile, action=ChangeAction.CREATE)
    return list(CommunicatorProfile.objects.filter(programme=programme, user_id__in=members))


@transaction.atomic
def communicator_profile_update(
    *, actor, profile: CommunicatorProfile, regions=None, leave_days: list[datetime.date] | None = None, **fields: Any
) -> CommunicatorProfile:
    """Change a communicator's availability; `leave_days` replaces their leave dates."""
    before = snapshot(profile)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["feed_token"])
    profile.save()
    if regions is not None:
        profile.regions.set(regions)
    if leave_days is not None:
        wanted = set(leave_days)
        current = {leave.day: leave for leave in profile.leaves.all()}
        for day, leave in current.items():
            if day not in wanted:
                log_change(actor=actor, instance=leave, action=ChangeAction.DELETE, before=snapshot(leave), after={})
                leave.delete()
        for day in sorted(wanted - set(current)):
            leave = CommunicatorLeave(profile=profile, day=day)
            leave.full_clean()
            leave.save()
            log_change(actor=actor, instance=leave, action=ChangeAction.CREATE)
    log_change(actor=actor, instance=profile, action=ChangeAction.UPDATE, before=before)
    return profile


@transaction.atomic
def communicator_feed_token_reset(*, actor, profile: CommunicatorProfile) -> CommunicatorProfile:
    """Issue a new calendar-feed key; the old URL stops working at once. The key itself is never logged."""
    profile.feed_token = new_feed_token()
    profile.save(update_fields=["feed_token", "updated_at"])
    log_change(actor=actor, instance=profile, action=ChangeAction.UPDATE, before={}, after={}, note="feed token reset")
    return profile


@transaction.atomic
def company_constraint_save(*, actor, programme: Programme, company, **fields: Any) -> CompanyConstraint:
    """Create or change what one company asked for."""
    constraint = CompanyConstraint.objects.filter(programme=programme, company=company).first()
    before = snapshot(constraint) if constraint else None
    if constraint is None:
        constraint = CompanyConstraint(programme=programme, company=company)
    for name, value in fields.items():
        setattr(constraint, name, value)
    constraint.full_clean()
    constraint.save()
    log_change(
        actor=actor,
        instance=constraint,
        action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
        before=before or {},
    )
    return constraint


@transaction.atomic
def company_constraint_delete(*, actor, constraint: CompanyConstraint) -> None:
    log_change(actor=actor, instance=constraint, action=ChangeAction.DELETE, before=snapshot(constraint), after={})
    constraint.delete()


@transaction.atomic
def companion_request_add(*, actor, programme: Programme, company, companion, note: str = "") -> CompanionRequest:
    request = CompanionRequest.objects.filter(programme=programme, company=company, companion=companion).first()
    if request is not None:
        return request
    request = CompanionRequest(programme=programme, company=company, companion=companion, note=note[:300])
    request.full_clean()
    request.save()
    log_change(actor=actor, instance=request, action=ChangeAction.CREATE)
    return request


@transaction.atomic
def companion_request_delete(*, actor, request: CompanionRequest) -> None:
    log_change(actor=actor, instance=request, action=ChangeAction.DELETE, before=snapshot(request), after={})
    request.delete()


# --- Building a plan -----------------------------------------------------------------------------------------------


def _default_base(programme: Programme) -> Plan | None:
    """Re-plans start from the approved version, else from the newest computed one."""
    plans = Plan.objects.filter(programme=programme, run_status=RunStatus.DONE)
    return plans.filter(status=PlanStatus.APPROVED).first() or plans.order_by("-version").first()


@transaction.atomic
def plan_create(
    *, actor, programme: Programme, seconds: float | None = None, base_plan: Plan | None = None, enqueue: bool = True
) -> Plan:
    """A new plan version (draft, queued); the background task computes it after the commit."""
    plan_settings = plan_settings_ensure(actor=actor, programme=programme)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one version number at a time
    version = (Plan.objects.filter(programme=programme).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = Plan(
        programme=programme,
        version=version,
        based_on=base_plan if base_plan is not None else _default_base(programme),
        created_by=actor if getattr(actor, "pk", None) else None,
        period_start=plan_settings.start,
        period_end=plan_settings.end,
        target=programme.target_count,
        seconds=float(seconds if seconds is not None else plan_settings.solver_seconds),
        progress_message=_("計算の開始を待っています"),
    )
    plan.full_clean()
    plan.save()
    log_change(actor=actor, instance=plan, action=ChangeAction.CREATE)
    if enqueue:
        from .tasks import plan_build_task

        transaction.on_commit(lambda: plan_build_task.enqueue(plan.pk))
    return plan


def _set_progress(plan: Plan, percent: int, message: str, **fields: Any) -> None:
    """Progress is written outside the run's transaction so the page sees it while the solver works."""
    values = {"progress_percent": max(0, min(100, int(percent))), "progress_message": message[:200], **fields}
    Plan.objects.filter(pk=plan.pk).update(**values, updated_at=timezone.now())
    for name, value in values.items():
        setattr(plan, name, value)


def _progress_callback(plan: Plan) -> Callable[..., None]:
    last = {"at": 0.0}

    def report(fraction: float = 0.0, message: str = "", *args: Any, **kwargs: Any) -> None:
        now = time.monotonic()
        if now - last["at"] < 0.5 and fraction < 1:
            return
        last["at"] = now
        _set_progress(plan, 10 + int(float(fraction) * 85), str(message or _("最適化しています")))

    return report


def default_solver() -> Solver:
    from .engine.solve import solve_with_baseline

    return solve_with_baseline


def travel_model(plan_settings: PlanSettings):
    """Straight line × the programme's detour factor ÷ its speed; a routing engine when PLANNING_ROUTING_URL is set."""
    from django.conf import settings

    from .engine import travel

    straight = travel.StraightLineTravel(plan_settings.detour_factor, plan_settings.speed_kmh)
    url = (getattr(settings, "PLANNING_ROUTING_URL", "") or "").strip()
    if not url:
        return straight
    return travel.RoutingEngineTravel(
        url,
        profile=getattr(settings, "PLANNING_ROUTING_PROFILE", "car") or "car",
        timeout=float(getattr(settings, "PLANNING_ROUTING_TIMEOUT", 30.0) or 30.0),
        fallback=straight,
    )


def _time(value: int | None) -> datetime.time | None:
    if value is None:
        return None
    value = max(0, min(int(value), 24 * 60 - 1))
    return datetime.time(value // 60, value % 60)


def report_as_json(report: t.QualityReport) -> dict[str, Any]:
    data = dataclasses.asdict(report)
    data["per_communicator"] = {str(k): v for k, v in data["per_communicator"].items()}
    if data.get("workload") is not None:
        data["workload"] = {str(k): v for k, v in data["workload"].items()}
    return data


def plan_run(
    *,
    plan: Plan,
    today: datetime.date | None = None,
    schedule_from: datetime.date | None = None,
    solver: Solver | None = None,
) -> Plan:
    """Compute a queued plan version: build the problem, solve (with the naive baseline) and store the visits."""
    today = today or timezone.localdate()
    programme = plan.programme
    _set_progress(plan, 2, _("入力を集めています"), run_status=RunStatus.RUNNING, error="")
    try:
        quotas_sync(actor=plan.created_by, programme=programme, today=today)
        quotas: dict[str, dict[str, int]] = {kind: {} for kind in StratumKind.values}
        for kind, key, quota in StratumQuota.objects.filter(programme=programme).values_list("kind", "key", "quota"):
            quotas[kind][key] = quota
        built = problem_builder.build_problem(
            programme,
            quotas=quotas,
            base_plan=plan.based_on,
            seconds=plan.seconds,
            today=today,
            schedule_from=schedule_from,
        )
        _set_progress(plan, 10, _("候補 %(n)s 社から選んでいます") % {"n": len(built.problem.candidates)})
        started = time.monotonic()
        solve = solver or default_solver()
        kwargs: dict[str, Any] = {"progress": _progress_callback(plan)}
        if solver is None:
            kwargs["travel"] = travel_model(programme.plan_settings)
        result = solve(built.problem, **kwargs)
        elapsed = time.monotonic() - started
        _store_result(plan, built, result, elapsed)
    except Exception as error:
        logger.exception("plan %s: the planner failed", plan.pk)
        _set_progress(plan, 100, _("計算できませんでした"), run_status=RunStatus.FAILED, error=str(error)[:500])
        raise
    return plan


@transaction.atomic
def _store_result(plan: Plan, built: problem_builder.BuiltProblem, result: t.PlanResult, elapsed: float) -> None:
    before = snapshot(plan)
    PlanVisit.objects.filter(plan=plan).delete()
    rows: dict[int, PlanVisit] = {}
    for visit in result.visits:
        rows[visit.company_id] = PlanVisit(
            plan=plan,
            company_id=visit.company_id,
            communicator_id=visit.communicator_id,
            day=visit.day,
            order=visit.order,
            start_time=_time(visit.start),
            end_time=_time(visit.end),
            travel_minutes=max(int(visit.travel_minutes), 0),
            travel_km=round(float(visit.travel_km), 2),
            designated=visit.company_id in built.designated_ids,
            locked=visit.locked or visit.company_id in built.locked_done or visit.company_id in built.locked_fixed,
            fixed=visit.company_id in built.locked_fixed,
            companion_id=built.companions.get(visit.company_id),
        )
    for alternative in result.alternatives:
        if alternative.company_id in rows:
            continue
        rows[alternative.company_id] = PlanVisit(
            plan=plan,
            company_id=alternative.company_id,
            designated=alternative.company_id in built.designated_ids,
            alternative_kind=alternative.kind if alternative.kind in AlternativeKind.values else AlternativeKind.ONLINE,
            alternative_reason=alternative.reason[:200],
            companion_id=built.companions.get(alternative.company_id),
        )
    for company_id in result.selected:
        if company_id not in rows:  # chosen but neither scheduled nor given an alternative: say so
            rows[company_id] = PlanVisit(
                plan=plan,
                company_id=company_id,
                designated=company_id in built.designated_ids,
                alternative_kind=AlternativeKind.SEMINAR,
                alternative_reason=_("日程を割り当てられませんでした"),
            )
    PlanVisit.objects.bulk_create(rows.values(), batch_size=500)
    plan.quality_report = report_as_json(result.report)
    plan.inputs_summary = built.summary
    plan.solve_seconds = round(result.report.solve_seconds or elapsed, 2)
    plan.run_status = RunStatus.DONE
    plan.progress_percent = 100
    plan.progress_message = _("計算が終わりました")
    plan.error = ""
    plan.full_clean()
    plan.save()
    log_change(actor=plan.created_by, instance=plan, action=ChangeAction.UPDATE, before=before, note="computed")


# --- Approval ------------------------------------------------------------------------------------------------------


def _transition(*, actor, plan: Plan, allowed: set[str], status: str, note: str, **fields: Any) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in allowed:
        raise ValidationError(_("この状態の計画には行えない操作です。"))
    before = snapshot(plan)
    plan.status = status
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    log_change(actor=actor, instance=plan, action=ChangeAction.STATUS, before=before, note=note)
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: Plan) -> Plan:
    """The manager sends a computed draft (or a returned plan) to the prefecture for approval."""
    if plan.run_status != RunStatus.DONE:
        raise ValidationError(_("計算が終わっていない計画は申請できません。"))
    return _transition(
        actor=actor,
        plan=plan,
        allowed=set(EDITABLE_PLAN_STATES),
        status=PlanStatus.SUBMITTED,
        note="submit",
        submitted_at=timezone.now(),
        submitted_by=actor,
    )


@transaction.atomic
def plan_approve(*, actor, plan: Plan, comment: str = "") -> Plan:
    """The prefecture approves a submitted plan; the previously approved version becomes superseded."""
    for previous in Plan.objects.select_for_update().filter(programme_id=plan.programme_id, status=PlanStatus.APPROVED):
        _transition(
            actor=actor, plan=previous, allowed={PlanStatus.APPROVED}, status=PlanStatus.SUPERSEDED, note="superseded"
        )
    return _transition(
        actor=actor,
        plan=plan,
        allowed={PlanStatus.SUBMITTED},
        status=PlanStatus.APPROVED,
        note="approve",
        decided_at=timezone.now(),
        decided_by=actor,
        decision_comment=comment,
    )


@transaction.atomic
def plan_return(*, actor, plan: Plan, comment: str) -> Plan:
    """The prefecture returns a submitted plan with what should change (a comment is required)."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("差戻しの理由を入力してください。")})
    return _transition(
        actor=actor,
        plan=plan,
        allowed={PlanStatus.SUBMITTED},
        status=PlanStatus.RETURNED,
        note="return",
        decided_at=timezone.now(),
        decided_by=actor,
        decision_comment=comment.strip(),
    )


@transaction.atomic
def plan_visit_set_fixed(*, actor, visit: PlanVisit, fixed: bool) -> PlanVisit:
    """Mark a scheduled visit as fixed: the next re-plan keeps it exactly (who, day, time)."""
    if visit.is_alternative and fixed:
        raise ValidationError(_("代替手段の企業は固定できません。"))
    before = snapshot(visit)
    visit.fixed = fixed
    visit.full_clean()
    visit.save(update_fields=["fixed"])
    log_change(actor=actor, instance=visit, action=ChangeAction.UPDATE, before=before)
    return visit
