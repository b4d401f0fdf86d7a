"""Selection: HiGHS picks every designated company, reaches the target and balances the quotas optimally."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.planning.engine.selection import W_DEV, candidate_costs, quota_deviation, select
from kakehashi.planning.engine.testing import YAMAGATA, candidate, communicator, offset, problem, weekdays
from kakehashi.planning.engine.types import Candidate

DAYS = weekdays(__import__("datetime").date(2026, 4, 6), 10)


def two_family(company_id, s, f, km, **extra) -> Candidate:
    return Candidate(company_id=company_id, point=offset(YAMAGATA, north_km=km), strata={"s": s, "f": f}, **extra)


def objective(prob, chosen: set[int]) -> tuple[int, float]:
    """The selection's objective for a set of candidate positions, computed independently of the MILP."""
    costs = np.rint(candidate_costs(prob) * 10) / 10  # the MILP counts costs in 0.1 km
    ids = [prob.candidates[i].company_id for i in chosen]
    deviation, worst = quota_deviation(ids, prob.candidates, prob.settings.quotas)
    total = sum(abs(v) for strata in deviation.values() for v in strata.values())
    # Lexicographic: the largest deviation first, then the total deviation, then the cost.
    return (worst, W_DEV * total + sum(costs[i] for i in chosen))


def brute_force(prob) -> tuple[int, float]:
    n = len(prob.candidates)
    forced = {i for i, c in enumerate(prob.candidates) if c.designated}
    best = (np.inf, np.inf)
    for size in range(min(prob.settings.target, n), n + 1):
        for combo in itertools.combinations(range(n), size):
            if forced <= set(combo):
                best = min(best, objective(prob, set(combo)))
    return best


def test_quotas_win_over_distance_and_the_optimum_is_found():
    # The three nearest companies are all (a, x): taking them would break both quota families.
    candidates = [
        two_family(1, "a", "x", 1),
        two_family(2, "a", "x", 2),
        two_family(3, "a", "x", 3),
        two_family(4, "b", "y", 40),
        two_family(5, "b", "y", 45),
        two_family(6, "a", "y", 20),
        two_family(7, "b", "x", 25),
    ]
    prob = problem(
        candidates,
        [communicator(1, YAMAGATA, DAYS)],
        target=4,
        quotas={"s": {"a": 2, "b": 2}, "f": {"x": 2, "y": 2}},
    )
    result = select(prob)
    assert result.status == "optimal"
    assert result.max_quota_deviation == 0
    # Zero deviation: two a + two b, two x + two y; cheapest is {1, 2} (a, x) with {4, 5} (b, y)?
    # 1+2+40+45 = 88 km against {1, 6, 7, 4} = 1+20+25+40 = 86 km: the mixed set wins.
    assert set(result.selected) == {1, 4, 6, 7}
    assert objective(prob, {0, 3, 5, 6}) == brute_force(prob)


def test_designated_always_in_even_beyond_the_quota_and_deviation_reported():
    candidates = [two_family(i, "a", "x", i, designated=i <= 3) for i in range(1, 6)] + [
        two_family(10 + i, "b", "y", i) for i in range(1, 4)
    ]
    prob = problem(candidates, [communicator(1, YAMAGATA, DAYS)], target=4, quotas={"s": {"a": 2, "b": 2}})
    result = select(prob)
    assert {1, 2, 3} <= set(result.selected)
    assert len(result.selected) >= 4
    assert result.quota_deviation["s"]["a"] == 1  # three designated against a quota of two
    assert result.max_quota_deviation == 1


def test_target_above_the_candidates_takes_all_and_says_so():
    candidates = [two_family(i, "a", "x", i) for i in range(1, 4)]
    result = select(problem(candidates, [communicator(1, YAMAGATA, DAYS)], target=10))
    assert set(result.selected) == {1, 2, 3}
    assert result.target == 3
    assert result.notes


def test_prefers_never_heard_companies_then_nearer_ones():
    candidates = [
        candidate(1, offset(YAMAGATA, north_km=5), heard_before=True),
        candidate(2, offset(YAMAGATA, north_km=6)),
        candidate(3, offset(YAMAGATA, north_km=30)),
        candidate(4, offset(YAMAGATA, north_km=8)),
    ]
    result = select(problem(candidates, [communicator(1, YAMAGATA, DAYS)], target=2))
    assert set(result.selected) == {2, 4}


def test_prefers_companies_near_a_communicator_who_covers_them():
    near_but_uncovered = candidate(1, offset(YAMAGATA, east_km=1))
    far_but_covered = candidate(2, offset(YAMAGATA, east_km=25))
    comm = communicator(1, YAMAGATA, DAYS, region_codes=frozenset({"r1"}), region_of_candidate={1: "r2", 2: "r1"})
    result = select(problem([near_but_uncovered, far_but_covered], [comm], target=1))
    assert result.selected == (2,)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ab"), st.sampled_from("xyz"), st.integers(0, 60), st.booleans(), st.booleans()),
        min_size=3,
        max_size=9,
    ),
    st.integers(1, 6),
    st.integers(0, 4),
    st.integers(0, 4),
)
def test_milp_matches_brute_force(rows, target, quota_a, quota_x):
    candidates = [
        two_family(i + 1, s, f, km, designated=designated and i % 3 == 0, heard_before=heard)
        for i, (s, f, km, designated, heard) in enumerate(rows)
    ]
    prob = problem(
        candidates,
        [communicator(1, YAMAGATA, DAYS)],
        target=target,
        quotas={"s": {"a": quota_a, "b": max(0, target - quota_a)}, "f": {"x": quota_x}},
    )
    result = select(prob)
    by_id = {c.company_id: i for i, c in enumerate(candidates)}
    chosen = {by_id[company_id] for company_id in result.selected}
    assert all(candidates[i].designated <= (i in chosen) for i in range(len(candidates)))
    assert len(chosen) >= min(target, len(candidates))
    found, best = objective(prob, chosen), brute_force(prob)
    assert found[0] == best[0]
    assert found[1] == pytest.approx(best[1], abs=1e-6)
