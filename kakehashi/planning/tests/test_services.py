import datetime

import jpholiday
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.models import DesignatedCompany
from kakehashi.planning import services
from kakehashi.planning.choices import PlanStatus, RunStatus, StratumKind
from kakehashi.planning.models import CommunicatorLeave, CompanyConstraint, PlanVisit, StratumQuota
from kakehashi.planning.problem import build_problem, working_days

from .factories import heard
from .fakes import fake_solve

TODAY = datetime.date(2026, 3, 20)  # before the programme starts: the whole period is open


def _run(world, *, today=TODAY, **kwargs):
    plan = services.plan_create(actor=world.manager, programme=world.programme, enqueue=False, **kwargs)
    return services.plan_run(plan=plan, today=today, solver=fake_solve)


def test_working_days_skip_weekends_holidays_year_end_and_leave(world):
    profile = world.profiles[0]
    CommunicatorLeave.objects.create(profile=profile, day=datetime.date(2026, 4, 10))
    days = working_days(profile, datetime.date(2026, 4, 1), datetime.date(2027, 1, 10))
    assert datetime.date(2026, 4, 29) not in days  # 昭和の日
    assert datetime.date(2026, 5, 6) not in days  # 振替休日
    assert datetime.date(2026, 4, 10) not in days  # leave
    assert datetime.date(2026, 12, 29) not in days
    assert datetime.date(2027, 1, 4) in days
    assert all(d.weekday() < 5 and not jpholiday.is_holiday(d) for d in days)
    assert datetime.date(2026, 4, 30) in days


def test_build_problem_reads_the_database(world):
    CompanyConstraint.objects.create(
        programme=world.programme,
        company=world.companies[5],
        online_only=True,
        preferred_weekdays="13",
        not_before=datetime.date(2026, 6, 1),
    )
    built = build_problem(world.programme, quotas={}, today=TODAY)
    problem = built.problem
    assert len(problem.candidates) == 24
    by_id = {c.company_id: c for c in problem.candidates}
    assert {c.company_id for c in problem.candidates if c.designated} == {c.pk for c in world.designated}
    constrained = by_id[world.companies[5].pk]
    assert constrained.online_only
    assert constrained.preferred_weekdays == frozenset({1, 3})
    assert constrained.not_before == datetime.date(2026, 6, 1)
    assert constrained.strata["region_industry"] in {"murayama|D", "okitama|D", "murayama|E", "okitama|E"}
    assert by_id[world.companies[0].pk].strata == {
        "region_industry": "murayama|E",
        "business_form": "manufacturing_own",
    }
    assert len(problem.communicators) == 2
    home = problem.communicators[0].home
    assert (home.lat, home.lng) == (38.2554, 140.3396)
    assert problem.settings.target == 10
    assert problem.settings.plan_from == datetime.date(2026, 4, 1)


def test_declined_companies_leave_the_pool_unless_designated(world):
    CompanyConstraint.objects.create(programme=world.programme, company=world.companies[10], declined=True)
    CompanyConstraint.objects.create(programme=world.programme, company=world.designated[0], declined=True)
    problem = build_problem(world.programme, quotas={}, today=TODAY).problem
    ids = {c.company_id: c for c in problem.candidates}
    assert world.companies[10].pk not in ids
    assert ids[world.designated[0].pk].online_only


def test_quotas_are_proportional_and_add_up_to_the_target(world):
    services.quotas_sync(actor=world.manager, programme=world.programme, today=TODAY)
    for kind in StratumKind.values:
        rows = StratumQuota.objects.filter(programme=world.programme, kind=kind)
        assert sum(r.quota for r in rows) == world.programme.target_count
        assert sum(r.pool for r in rows) == 24
    # An edited quota stays; the rest of the target is spread over the other strata.
    row = StratumQuota.objects.get(programme=world.programme, kind="business_form", key="construction")
    services.quotas_update(actor=world.manager, programme=world.programme, values={row.pk: 8})
    services.quotas_sync(actor=world.manager, programme=world.programme, today=TODAY)
    forms = {r.key: r for r in StratumQuota.objects.filter(programme=world.programme, kind="business_form")}
    assert forms["construction"].quota == 8
    assert forms["construction"].edited
    assert forms["manufacturing_own"].quota == 2
    services.quotas_sync(actor=world.manager, programme=world.programme, today=TODAY, reset=True)
    assert StratumQuota.objects.get(pk=row.pk).quota == 5


@given(
    pool=st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 500), max_size=12), total=st.integers(0, 900)
)
def test_proportional_parts_always_add_up(pool, total):
    parts = services.proportional(pool, total)
    assert set(parts) == set(pool)
    if sum(pool.values()):
        assert sum(parts.values()) == total
        size = sum(pool.values())
        assert all(abs(parts[k] - total * pool[k] / size) < 1 for k in pool)


def test_parse_quota_accepts_numbers_and_shares():
    assert services.parse_quota("12", target=400) == 12
    assert services.parse_quota("2.5%", target=400) == 10
    assert services.parse_quota("５％".replace("５", "5"), target=400) == 20
    for bad in ("abc", "-1", "120%"):
        with pytest.raises(ValidationError):
            services.parse_quota(bad, target=400)


def test_plan_run_stores_a_version_with_every_designated_company(world):
    plan = _run(world)
    assert plan.run_status == RunStatus.DONE
    assert plan.version == 1
    assert plan.status == PlanStatus.DRAFT
    visits = PlanVisit.objects.filter(plan=plan)
    assert visits.count() == 10
    assert {v.company_id for v in visits if v.designated} == {c.pk for c in world.designated}
    for visit in visits.filter(alternative_kind=""):
        assert visit.day.weekday() < 5
        assert not jpholiday.is_holiday(visit.day)
    assert plan.quality_report["designated_selected"] == 3
    assert plan.inputs_summary["candidates"] == 24
    assert ChangeLogEntry.objects.filter(object_id=str(plan.pk), note="computed").exists()


def test_leave_is_respected(world):
    leave_day = datetime.date(2026, 4, 1)
    for profile in world.profiles:
        CommunicatorLeave.objects.create(profile=profile, day=leave_day)
    plan = _run(world)
    assert not PlanVisit.objects.filter(plan=plan, day=leave_day).exists()


def test_failed_run_is_recorded_on_the_plan(world):
    def broken(problem, **kwargs):
        raise RuntimeError("solver exploded")

    plan = services.plan_create(actor=world.manager, programme=world.programme, enqueue=False)
    with pytest.raises(RuntimeError):
        services.plan_run(plan=plan, today=TODAY, solver=broken)
    plan.refresh_from_db()
    assert plan.run_status == RunStatus.FAILED
    assert "solver exploded" in plan.error


def test_replan_keeps_done_and_fixed_visits_and_absorbs_new_designations(world):
    first = _run(world)
    scheduled = list(PlanVisit.objects.filter(plan=first, alternative_kind="").order_by("day", "order"))
    done, fixed = scheduled[0], scheduled[-1]
    heard(world.programme, done.company, done.communicator, done.day, start_time=datetime.time(10, 30))
    services.plan_visit_set_fixed(actor=world.manager, visit=fixed, fixed=True)
    newcomer = world.companies[-1]
    DesignatedCompany.objects.create(programme=world.programme, company=newcomer)
    second = _run(world, today=done.day)
    assert second.version == 2
    assert second.based_on == first
    kept = PlanVisit.objects.get(plan=second, company=done.company)
    assert kept.locked
    assert (kept.day, kept.communicator_id) == (done.day, done.communicator_id)
    assert kept.start_time == datetime.time(10, 30)
    again = PlanVisit.objects.get(plan=second, company=fixed.company)
    assert again.locked
    assert again.fixed
    assert (again.day, again.communicator_id, again.start_time) == (fixed.day, fixed.communicator_id, fixed.start_time)
    assert PlanVisit.objects.filter(plan=second, company=newcomer, designated=True).exists()
    # New visits are never planned before the re-plan day.
    assert not PlanVisit.objects.filter(plan=second, locked=False, day__lte=done.day).exists()


def test_approval_state_machine(world):
    plan = _run(world)
    with pytest.raises(ValidationError):
        services.plan_approve(actor=world.prefecture_user, plan=plan)
    plan = services.plan_submit(actor=world.manager, plan=plan)
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_by == world.manager
    with pytest.raises(ValidationError):
        services.plan_return(actor=world.prefecture_user, plan=plan, comment="  ")
    plan = services.plan_return(actor=world.prefecture_user, plan=plan, comment="置賜地域を増やしてください")
    assert plan.status == PlanStatus.RETURNED
    assert plan.decision_comment
    plan = services.plan_submit(actor=world.manager, plan=plan)
    plan = services.plan_approve(actor=world.prefecture_user, plan=plan, comment="承認します")
    assert plan.status == PlanStatus.APPROVED
    second = services.plan_submit(actor=world.manager, plan=_run(world))
    services.plan_approve(actor=world.prefecture_user, plan=second)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    with pytest.raises(ValidationError):
        services.plan_submit(actor=world.manager, plan=plan)


def test_unfinished_plan_cannot_be_submitted(world):
    plan = services.plan_create(actor=world.manager, programme=world.programme, enqueue=False)
    with pytest.raises(ValidationError):
        services.plan_submit(actor=world.manager, plan=plan)


def test_communicator_profile_update_replaces_leave(world):
    profile = world.profiles[0]
    services.communicator_profile_update(
        actor=world.manager, profile=profile, leave_days=[datetime.date(2026, 5, 1), datetime.date(2026, 5, 8)]
    )
    services.communicator_profile_update(
        actor=world.manager, profile=profile, leave_days=[datetime.date(2026, 5, 8)], max_visits_per_day=4
    )
    assert list(profile.leaves.values_list("day", flat=True)) == [datetime.date(2026, 5, 8)]
    profile.refresh_from_db()
    assert profile.max_visits_per_day == 4
    old = profile.feed_token
    services.communicator_feed_token_reset(actor=world.manager, profile=profile)
    assert profile.feed_token != old
    assert old not in str(ChangeLogEntry.objects.filter(object_id=str(profile.pk)).values_list("changes", flat=True))
