"""Workload balance: every communicator's visits near their share (working days × daily cap), at little travel."""

import dataclasses
import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.planning.engine.balance import assign, band, expected_visits, workload
from kakehashi.planning.engine.solve import solve
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
from kakehashi.planning.engine.types import LockedVisit, ScheduledVisit

MONDAY = datetime.date(2026, 6, 1)
SHINJO = offset(YAMAGATA, north_km=50, east_km=5)


def cluster(first_id: int, centre, count: int, **extra):
    """`count` companies on a small grid (2 km apart) around `centre`."""
    return [
        candidate(first_id + k, offset(centre, 2.0 * (k % 5 - 2), 2.0 * (k // 5 - 1)), **extra) for k in range(count)
    ]


def lopsided(tolerance):
    """Three communicators, two thirds of the companies around the first one's home."""
    days = weekdays(MONDAY, 10)
    comms = [communicator(1, YAMAGATA, days), communicator(2, TSURUOKA, days), communicator(3, SHINJO, days)]
    companies = cluster(1, YAMAGATA, 20) + cluster(101, TSURUOKA, 5) + cluster(201, SHINJO, 5)
    return problem(companies, comms, target=30, balance_tolerance=tolerance, max_iterations=300)


def counts(result) -> dict[int, int]:
    out: dict[int, int] = {}
    for visit in result.visits:
        out[visit.communicator_id] = out.get(visit.communicator_id, 0) + 1
    return out


def test_expected_visits_follow_working_days_times_daily_cap():
    full = communicator(1, YAMAGATA, weekdays(MONDAY, 20))
    part_time = communicator(2, YAMAGATA, weekdays(MONDAY, 10))
    small_cap = communicator(3, YAMAGATA, weekdays(MONDAY, 20), max_visits_per_day=1)
    assert expected_visits([full, part_time, small_cap], 110) == [60.0, 30.0, 20.0]
    assert band(10.0, 0.15) == (8, 12)  # rounded outwards: 8.5 → 8, 11.5 → 12
    assert band(10.0, 0.0) == (10, 10)


def test_the_plan_spreads_visits_within_the_tolerance():
    prob = lopsided(0.15)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert len(result.visits) == 30
    lo, hi = band(10.0, 0.15)
    assert all(lo <= n <= hi for n in counts(result).values()), counts(result)
    report = result.report
    assert {cid: row["visits"] for cid, row in report.workload.items()} == counts(result)
    assert all(row["expected"] == 10.0 for row in report.workload.values())
    assert report.workload_spread == max(abs(n - 10) / 10 for n in counts(result).values())
    assert report.workload_spread <= 0.2


def test_without_balancing_the_nearest_communicator_takes_the_crowd():
    """The lopsided instance really is lopsided: the balance above is the planner's doing."""
    result = solve(lopsided(None))
    assert plan_violations(lopsided(None), result) == []
    assert counts(result)[1] > band(10.0, 0.15)[1]
    assert result.report.workload_spread > 0.2


def test_the_crowd_gives_away_the_companies_nearest_the_others():
    """Of the crowd, the first communicator gives away the companies nearest the others, not random ones."""
    result = solve(lopsided(0.15))
    by_id = {c.company_id: c for c in lopsided(0.15).candidates}
    owner = {v.company_id: v.communicator_id for v in result.visits}
    kept = [by_id[i].point.lat for i in range(1, 21) if owner[i] == 1]
    to_shinjo = [by_id[i].point.lat for i in range(1, 21) if owner[i] == 3]
    assert to_shinjo
    # The crowd's companies handed to the northern (Shinjo) communicator are its northern ones.
    assert min(to_shinjo) >= np.median(kept)


def test_shares_follow_working_days():
    comms = [communicator(1, YAMAGATA, weekdays(MONDAY, 12)), communicator(2, TSURUOKA, weekdays(MONDAY, 6))]
    companies = cluster(1, YAMAGATA, 9) + cluster(101, TSURUOKA, 9)
    prob = problem(companies, comms, target=18, balance_tolerance=0.0, max_iterations=300)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert counts(result) == {1: 12, 2: 6}


def test_an_infeasible_tolerance_degrades_gracefully():
    """The Shonai communicator may only visit Shonai, where there are two companies: the band cannot hold."""
    days = weekdays(MONDAY, 10)
    regions = {**dict.fromkeys(range(1, 19), "murayama"), 101: "shonai", 102: "shonai"}
    comms = [
        communicator(1, YAMAGATA, days, region_of_candidate=regions),
        communicator(2, TSURUOKA, days, region_codes=frozenset({"shonai"}), region_of_candidate=regions),
    ]
    companies = cluster(1, YAMAGATA, 18) + cluster(101, TSURUOKA, 2)
    prob = problem(companies, comms, target=20, balance_tolerance=0.1)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert len(result.visits) == 20  # nobody is dropped for the balance's sake
    assert counts(result) == {1: 18, 2: 2}
    assert result.report.workload_spread == 0.8


def test_locked_visits_count_towards_the_share():
    """One communicator already made 6 of the 12 visits: the 6 left go to the other one."""
    days = weekdays(MONDAY, 10)
    comms = [communicator(1, YAMAGATA, days), communicator(2, offset(YAMAGATA, east_km=3), days)]
    companies = cluster(1, YAMAGATA, 12)
    locks = {c.company_id: LockedVisit(1, days[k // 3], 9 * 60 + 90 * (k % 3)) for k, c in enumerate(companies[:6])}
    companies = [dataclasses.replace(c, locked=locks.get(c.company_id)) for c in companies]
    prob = problem(companies, comms, target=12, balance_tolerance=0.0, plan_from=days[2], max_iterations=300)
    result = solve(prob)
    assert plan_violations(prob, result) == []
    assert counts(result) == {1: 6, 2: 6}


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda m: st.tuples(
            st.just(m),
            st.integers(0, 40),
            st.lists(st.integers(5, 25), min_size=m, max_size=m),
            st.lists(st.integers(0, 4), min_size=m, max_size=m),
            st.floats(0.0, 0.5),
            st.integers(0, 10**6),
        )
    )
)
def test_assignment_stays_in_the_band_whenever_everyone_may_take_everyone(case):
    m, n, working, locked, tolerance, seed = case
    comms = [communicator(c + 1, YAMAGATA, weekdays(MONDAY, working[c])) for c in range(m)]
    prob = problem([candidate(k, YAMAGATA) for k in range(n)], comms, target=n)
    km = np.random.default_rng(seed).uniform(0, 80, size=(m, n))
    pending = list(range(n))
    result = assign(prob, pending, {i: list(range(m)) for i in pending}, km, locked, tolerance=tolerance)
    assert set(result.owner) == set(pending)
    load = [locked[c] + sum(1 for owner in result.owner.values() if owner == c) for c in range(m)]
    bands = [band(share, tolerance) for share in expected_visits(comms, n + sum(locked))]
    feasible = all(locked[c] <= hi for c, (_lo, hi) in enumerate(bands)) and sum(
        max(lo, locked[c]) for c, (lo, _hi) in enumerate(bands)
    ) <= n + sum(locked)
    if feasible:
        assert result.within
        assert all(lo <= load[c] <= hi for c, (lo, hi) in enumerate(bands)), (load, bands)
    else:
        assert not result.within
        assert result.notes


def test_workload_report_counts_every_visit():
    comms = [communicator(1, YAMAGATA, weekdays(MONDAY, 10)), communicator(2, TSURUOKA, weekdays(MONDAY, 10))]
    visits = [ScheduledVisit(k, 1 + (k % 4 == 0), MONDAY, 1, 600, 660, 10, 5.0) for k in range(8)]
    per, spread = workload(comms, visits)
    assert per[1] == {"visits": 6, "expected": 4.0, "deviation": 0.5}
    assert per[2] == {"visits": 2, "expected": 4.0, "deviation": -0.5}
    assert spread == 0.5
