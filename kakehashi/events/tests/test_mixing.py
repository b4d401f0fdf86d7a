"""Table mixing: invariants on random small instances (hypothesis) and an instance whose optimum is known."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.events.mixing import (
    Participant,
    apart_feasible,
    assign,
    evaluate,
    mix_feasible,
    plan_with_baseline,
    random_assignment,
)


@st.composite
def instances(draw):
    n = draw(st.integers(min_value=2, max_value=18))
    tables = draw(st.integers(min_value=1, max_value=5))
    rounds = draw(st.integers(min_value=1, max_value=3))
    companies = draw(st.integers(min_value=1, max_value=n))
    people = [Participant(i, f"c{draw(st.integers(0, companies - 1))}", draw(st.booleans())) for i in range(n)]
    pairs = list(combinations(range(n), 2))
    met = draw(st.lists(st.sampled_from(pairs), max_size=min(len(pairs), 12), unique=True)) if pairs else []
    seed = draw(st.integers(min_value=0, max_value=10_000))
    return people, tables, rounds, {frozenset(p) for p in met}, seed


@settings(max_examples=60, deadline=None)
@given(instances())
def test_plan_invariants(instance):
    people, tables, rounds, met, seed = instance
    plan = assign(people, rounds=rounds, tables=tables, met=met, seed=seed, iterations=3000, time_limit=10)
    ids = sorted(p.id for p in people)
    assert len(plan) == rounds
    used_tables = min(tables, len(people))
    for seating in plan:
        # Everyone sits exactly once per round; table sizes differ by at most one.
        assert sorted(m for members in seating for m in members) == ids
        assert len(seating) == used_tables
        sizes = [len(m) for m in seating]
        assert max(sizes) - min(sizes) <= 1
    figures = evaluate(people, plan, met=met)
    if mix_feasible(people, tables) and apart_feasible(people, tables):
        assert figures["unmixed_tables"] == 0
        assert figures["same_company_pairs"] == 0
    baseline = evaluate(people, random_assignment(people, rounds=rounds, tables=tables, seed=seed), met=met)
    # Hard constraints first, then repeated meetings: never worse than the random assignment.
    assert (figures["hard_violations"], figures["repeated_pairs"]) <= (
        baseline["hard_violations"],
        baseline["repeated_pairs"],
    )


def test_known_optimum_every_it_local_pair_meets_once():
    """9 people (3 IT, 6 local, all different companies), 3 tables of 3, 3 rounds.

    The affine plane of order 3 seats everyone so that no pair meets twice and every IT person meets every local
    person: 0 repeated pairs and all 3 × 6 = 18 IT × local pairs met, each table one IT person each round.
    """
    people = [Participant(i, f"c{i}", i < 3) for i in range(9)]
    plan, figures = plan_with_baseline(people, rounds=3, tables=3, seed=7, iterations=20_000, time_limit=20)
    best = figures["optimised"]
    assert best["repeated_pairs"] == 0
    assert best["new_cross_pairs"] == 18
    assert best["hard_violations"] == 0
    assert figures["random"]["new_cross_pairs"] <= 18
    for seating in plan:
        assert all(sum(1 for m in members if m < 3) == 1 for members in seating)


def test_earlier_meetings_are_avoided():
    """Two IT and two local people; A met C before. One round, two tables: A sits with D, B with C."""
    people = [Participant("A", "a", True), Participant("B", "b", True), Participant("C", "c", False),
              Participant("D", "d", False)]  # fmt: skip
    plan = assign(people, rounds=1, tables=2, met={frozenset({"A", "C"})}, seed=1, iterations=500)
    tables = [set(m) for m in plan[0]]
    assert {"A", "D"} in tables
    assert {"B", "C"} in tables


def test_same_seed_same_plan():
    people = [Participant(i, f"c{i % 5}", i % 3 == 0) for i in range(16)]
    first = assign(people, rounds=3, tables=4, seed=42, iterations=2000, time_limit=30)
    again = assign(people, rounds=3, tables=4, seed=42, iterations=2000, time_limit=30)
    assert first == again


def test_optimiser_beats_random_on_a_workshop():
    """A 20-person workshop, 4 rounds: more new IT × local pairs and fewer repeats than random."""
    people = [Participant(i, f"c{i // 2}", i % 2 == 0) for i in range(20)]  # two people per company
    _plan, figures = plan_with_baseline(people, rounds=4, tables=4, seed=3)
    assert figures["optimised"]["hard_violations"] == 0
    assert figures["optimised"]["new_cross_pairs"] > figures["random"]["new_cross_pairs"]
    assert figures["optimised"]["repeated_pairs"] < figures["random"]["repeated_pairs"]
