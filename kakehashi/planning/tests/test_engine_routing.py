"""Scheduling and routing: hard rules kept, alternatives with reasons, locked visits kept on re-plan."""

import dataclasses
import datetime
import itertools

import jpholiday
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kakehashi.planning.engine.baseline import naive_plan
from kakehashi.planning.engine.routing import (
    REASON_NO_COVER,
    REASON_NO_DAY,
    REASON_ONLINE_ONLY,
    REASON_TOO_FAR,
)
from kakehashi.planning.engine.solve import solve, solve_with_baseline
from kakehashi.planning.engine.synthetic import fiscal_year_days
from kakehashi.planning.engine.testing import (
    TSURUOKA,
    YAMAGATA,
    candidate,
    communicator,
    offset,
    plan_violations,
    problem,
    weekdays,
)
from kakehashi.planning.engine.types import LockedVisit

MONDAY = datetime.date(2026, 6, 1)


def ring(first_id: int, centre, count: int, radius_km: float = 4.0, **extra):
    steps = [(1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)]
    return [
        candidate(
            first_id + k,
            offset(centre, radius_km * steps[k % 8][0] * (1 + k // 8), radius_km * steps[k % 8][1]),
            **extra,
        )
        for k in range(count)
    ]


def test_caps_and_hours_are_respected():
    days = weekdays(MONDAY, 5)
    comm = communicator(1, YAMAGATA, days, max_visits_per_day=2, day_start=9 * 60, day_end=15 * 60)
    prob = problem(ring(1, YAMAGATA, 10, designated=True), [comm], target=10)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert len(result.visits) == 10
    assert result.report.visits_per_day_max == 2
    assert all(v.start >= 540 and v.end <= 900 for v in result.visits)


def test_no_visit_on_a_holiday_or_a_day_off():
    days = [d for d in fiscal_year_days(2026) if d.month == 5][:12]  # Golden Week is left out by the calendar
    assert all(not jpholiday.is_holiday(d) and d.weekday() < 5 for d in days)
    comm = communicator(1, YAMAGATA, tuple(days))
    prob = problem(ring(1, YAMAGATA, 12), [comm], target=12)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert {v.day for v in result.visits} <= set(days)
    assert not any(jpholiday.is_holiday(v.day) for v in result.visits)


def test_dates_and_weekdays_and_windows_are_respected():
    days = weekdays(MONDAY, 20)
    late = MONDAY + datetime.timedelta(days=14)
    early = MONDAY + datetime.timedelta(days=6)
    companies = [
        candidate(1, offset(YAMAGATA, 3), not_before=late),
        candidate(2, offset(YAMAGATA, 4), not_after=early),
        candidate(3, offset(YAMAGATA, 5), preferred_weekdays=frozenset({2})),  # Wednesdays only
        candidate(4, offset(YAMAGATA, 6), window=(14 * 60, 15 * 60)),
        candidate(5, offset(YAMAGATA, 7), window=(9 * 60, 9 * 60 + 30), duration=90),
        candidate(6, offset(YAMAGATA, 8), preferred_weekdays=frozenset({0, 4}), not_before=late),
    ]
    prob = problem(companies, [communicator(1, YAMAGATA, days)], target=6)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    by_id = {v.company_id: v for v in result.visits}
    assert set(by_id) == {1, 2, 3, 4, 5, 6}
    assert by_id[1].day >= late
    assert by_id[2].day <= early
    assert by_id[3].day.weekday() == 2
    assert 14 * 60 <= by_id[4].start <= 15 * 60
    assert by_id[5].start <= 9 * 60 + 30
    assert by_id[5].end - by_id[5].start == 90
    assert by_id[6].day.weekday() in {0, 4}
    assert by_id[6].day >= late


def test_companies_that_cannot_be_visited_become_alternatives_with_reasons():
    days = weekdays(MONDAY, 5)
    north = communicator(
        1,
        YAMAGATA,
        days,
        region_codes=frozenset({"murayama"}),
        region_of_candidate={1: "murayama", 2: "murayama", 3: "shonai", 4: "murayama", 5: "murayama"},
    )
    companies = [
        candidate(1, offset(YAMAGATA, 2), designated=True),
        candidate(2, offset(YAMAGATA, 3), online_only=True),
        candidate(3, TSURUOKA),  # nobody covers 庄内
        candidate(4, offset(YAMAGATA, 400)),  # 400 km away: no day trip
        candidate(5, offset(YAMAGATA, 1), not_before=MONDAY + datetime.timedelta(days=60)),  # after the days
    ]
    prob = problem(companies, [north], target=5)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert [v.company_id for v in result.visits] == [1]
    alternatives = {a.company_id: (a.kind, a.reason) for a in result.alternatives}
    assert alternatives == {
        2: ("online", REASON_ONLINE_ONLY),
        3: ("online", REASON_NO_COVER),
        4: ("seminar", REASON_TOO_FAR),
        5: ("online", REASON_NO_DAY),
    }
    assert sum(result.report.alternatives.values()) == 4


def test_region_coverage_sends_each_company_to_its_communicator():
    days = weekdays(MONDAY, 5)
    regions = {**dict.fromkeys(range(1, 5), "murayama"), **dict.fromkeys(range(11, 15), "shonai")}
    # Both live in Yamagata city; only the second may go to 庄内.
    first = communicator(1, YAMAGATA, days, region_codes=frozenset({"murayama"}), region_of_candidate=regions)
    second = communicator(2, YAMAGATA, days, region_codes=frozenset({"shonai"}), region_of_candidate=regions)
    companies = ring(1, YAMAGATA, 4) + ring(11, TSURUOKA, 4)
    prob = problem(companies, [first, second], target=8)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert {v.company_id for v in result.visits if v.communicator_id == 1} == {1, 2, 3, 4}
    assert {v.company_id for v in result.visits if v.communicator_id == 2} == {11, 12, 13, 14}


def test_replan_keeps_locked_visits_and_absorbs_cancellations_and_new_designated():
    days = weekdays(MONDAY, 15)
    comms = [communicator(1, YAMAGATA, days), communicator(2, TSURUOKA, days)]
    companies = ring(1, YAMAGATA, 8) + ring(21, TSURUOKA, 8)
    prob = problem(companies, comms, target=16)
    first = solve(prob)
    assert plan_violations(prob, first) == []
    done = sorted(first.visits, key=lambda v: (v.day, v.communicator_id, v.order))[:4]
    locks = {v.company_id: LockedVisit(v.communicator_id, v.day, v.start) for v in done}
    cancelled = next(v.company_id for v in first.visits if v.company_id not in locks)
    replanned_candidates = [
        dataclasses.replace(c, locked=locks.get(c.company_id)) for c in companies if c.company_id != cancelled
    ] + [candidate(99, offset(TSURUOKA, 1, 1), designated=True)]
    second_problem = dataclasses.replace(prob, candidates=tuple(replanned_candidates))
    second = solve(second_problem)
    assert plan_violations(second_problem, second) == []
    kept = {v.company_id: v for v in second.visits if v.locked}
    assert set(kept) == set(locks)
    for visit in done:
        assert (kept[visit.company_id].communicator_id, kept[visit.company_id].day) == (
            visit.communicator_id,
            visit.day,
        )
        assert (kept[visit.company_id].start, kept[visit.company_id].end) == (visit.start, visit.end)
    visited = {v.company_id for v in second.visits}
    assert 99 in visited
    assert cancelled not in visited
    assert len(second.selected) == 16
    locked_days = {(v.communicator_id, v.day) for v in done}
    for key in locked_days:  # a locked day may take new visits, within the daily cap (hard rules checked above)
        assert sum(1 for v in second.visits if (v.communicator_id, v.day) == key) <= 3


def test_travel_is_below_the_naive_plan_on_clustered_companies():
    days = weekdays(MONDAY, 20)
    comms = [communicator(1, YAMAGATA, days), communicator(2, TSURUOKA, days)]
    companies = ring(1, YAMAGATA, 12, radius_km=3) + ring(31, TSURUOKA, 12, radius_km=3)
    prob = problem(companies, comms, target=24)
    result = solve_with_baseline(prob)
    naive = naive_plan(prob)
    assert plan_violations(prob, result) == []
    assert plan_violations(prob, naive) == []
    assert result.report.baseline["travel_km"] == naive.report.travel_km
    assert result.report.travel_km < 0.75 * naive.report.travel_km
    assert result.report.designated_selected == result.report.designated_total


def test_progress_is_reported_from_zero_to_one_in_japanese():
    calls = []
    prob = problem(ring(1, YAMAGATA, 3), [communicator(1, YAMAGATA, weekdays(MONDAY, 3))], target=3)
    solve(prob, progress=lambda fraction, message: calls.append((fraction, message)))
    assert calls[0][0] == 0.0
    assert calls[-1][0] == 1.0
    assert [f for f, _m in calls] == sorted(f for f, _m in calls)
    assert all(message for _f, message in calls)


def test_same_seed_and_iterations_give_the_same_plan():
    days = weekdays(MONDAY, 10)
    prob = problem(ring(1, YAMAGATA, 10) + ring(20, TSURUOKA, 6), [communicator(1, YAMAGATA, days)], target=14)
    prob = dataclasses.replace(prob, settings=dataclasses.replace(prob.settings, seconds=30, max_iterations=200))
    assert solve(prob).visits == solve(prob).visits


@st.composite
def small_problems(draw):
    days = weekdays(MONDAY, draw(st.integers(2, 8)))
    n = draw(st.integers(1, 12))
    companies = []
    for k in range(n):
        extra = {}
        if draw(st.booleans()):
            extra["window"] = draw(st.sampled_from([(600, 720), (780, 960), (540, 600)]))
        if draw(st.integers(0, 4)) == 0:
            extra["not_before"] = days[draw(st.integers(0, len(days) - 1))]
        if draw(st.integers(0, 4)) == 0:
            extra["preferred_weekdays"] = frozenset(draw(st.sets(st.integers(0, 4), min_size=1, max_size=2)))
        if draw(st.integers(0, 9)) == 0:
            extra["online_only"] = True
        point = offset(YAMAGATA, draw(st.floats(-60, 60)), draw(st.floats(-40, 40)))
        companies.append(candidate(k + 1, point, draw(st.sampled_from("ab")), designated=draw(st.booleans()), **extra))
    comms = [
        communicator(
            c + 1,
            offset(YAMAGATA, draw(st.floats(-30, 30)), draw(st.floats(-20, 20))),
            days,
            max_visits_per_day=draw(st.integers(1, 4)),
        )
        for c in range(draw(st.integers(1, 3)))
    ]
    target = draw(st.integers(0, n))
    return problem(
        companies, comms, target=target, quotas={"s": {"a": target // 2, "b": target - target // 2}}, max_iterations=150
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_every_plan_keeps_every_hard_rule(prob):
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert result.report.designated_selected == result.report.designated_total
    assert len(result.visits) + len(result.alternatives) == len(result.selected)
    naive = naive_plan(prob)
    assert plan_violations(prob, naive) == []


def test_a_day_with_a_locked_visit_takes_new_visits_up_to_the_cap():
    """Two days, three visits a day, one already fixed on Monday: the five new companies all fit."""
    days = weekdays(MONDAY, 2)
    fixed = candidate(50, offset(YAMAGATA, 2), locked=LockedVisit(1, days[0], 10 * 60))
    prob = problem([fixed, *ring(1, YAMAGATA, 5, radius_km=3)], [communicator(1, YAMAGATA, days)], target=6)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert result.alternatives == ()
    monday = sorted((v for v in result.visits if v.day == days[0]), key=lambda v: v.order)
    assert len(monday) == 3
    assert [v.company_id for v in monday if v.locked] == [50]
    locked = next(v for v in monday if v.locked)
    assert (locked.start, locked.end) == (10 * 60, 11 * 60)
    for before, after in itertools.pairwise(monday):
        assert after.start >= before.end + after.travel_minutes


def test_a_new_visit_near_a_fixed_far_visit_joins_that_day():
    """A fixed visit in Tsuruoka: the Tsuruoka company goes on that day instead of a second long trip."""
    days = weekdays(MONDAY, 10)
    fixed = candidate(50, TSURUOKA, locked=LockedVisit(1, days[4], 10 * 60))
    near = candidate(51, offset(TSURUOKA, 2, 1))
    prob = problem([fixed, near, *ring(1, YAMAGATA, 4)], [communicator(1, YAMAGATA, days)], target=6)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    by_id = {v.company_id: v for v in result.visits}
    assert by_id[51].day == days[4]
    assert by_id[51].start >= 11 * 60 + by_id[51].travel_minutes  # after the fixed visit, with the drive
    assert not by_id[51].locked


def test_a_locked_day_in_the_past_takes_no_new_visits():
    days = weekdays(MONDAY, 10)
    fixed = candidate(50, TSURUOKA, locked=LockedVisit(1, days[1], 10 * 60))
    near = candidate(51, offset(TSURUOKA, 2, 1))
    prob = problem([fixed, near], [communicator(1, YAMAGATA, days)], target=2, plan_from=days[3])
    result = solve(prob)
    assert plan_violations(prob, result) == []
    by_id = {v.company_id: v for v in result.visits}
    assert by_id[51].day >= days[3]
