"""Table mixing for exchange workshops: who sits at which table in each round. Pure functions, no database.

For R rounds and T tables the optimiser seats every attendee once per round so that

- table sizes differ by at most one (hard: sizes are fixed per round and every move is a swap),
- every table mixes IT and local companies, and people of the same company sit apart — hard constraints,
  weighted `HARD` so that no amount of soft gain pays for one violation; they are met whenever the search
  can meet them (always in the property tests when each is feasible on its own),
- pairs who already met (earlier events, or earlier rounds of this one) meet as rarely as possible
  (`REPEAT` per earlier meeting), and among the rest new IT × local pairs are preferred (−1 each).

Rounds are planned in turn: a greedy construction (largest company groups first, each person to the table where
they add least cost) followed by simulated annealing with swap moves between tables, evaluated incrementally in
O(table size) per move. Seeded (`random.Random(seed)`) and bounded by iterations and wall-clock time; with the
same seed and no time cut-off the result is identical.

`random_assignment` is the baseline the page reports next to the plan, computed in the same run with the same
inputs: how many new cross-industry pairs met and how many pairs met again.
"""

import math
import random
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

HARD = 1000
REPEAT = 10
NEW_CROSS = 1

Assignment = list[list[list[Hashable]]]  # rounds → tables → participant ids


@dataclass(frozen=True)
class Participant:
    """One attendee as the optimiser sees them: an id, their organisation's key and whether it is an IT company."""

    id: Hashable
    company: str
    is_it: bool


def table_sizes(n: int, tables: int) -> list[int]:
    """Balanced sizes: the first n % tables tables get one more."""
    if tables <= 0:
        return []
    base, extra = divmod(n, tables)
    return [base + (1 if i < extra else 0) for i in range(tables)]


def mix_feasible(participants: Sequence[Participant], tables: int) -> bool:
    it = sum(1 for p in participants if p.is_it)
    return it >= tables and len(participants) - it >= tables


def apart_feasible(participants: Sequence[Participant], tables: int) -> bool:
    counts: dict[str, int] = {}
    for p in participants:
        counts[p.company] = counts.get(p.company, 0) + 1
    return max(counts.values(), default=0) <= tables


def _pair(a: Hashable, b: Hashable) -> frozenset:
    return frozenset((a, b))


class _Round:
    """State of one round's search: members per table, IT counts and the pair-cost matrix."""

    def __init__(self, people: Sequence[Participant], met: list[list[int]], sizes: list[int]):
        self.n = len(people)
        self.is_it = [p.is_it for p in people]
        n = self.n
        cost = [[0] * n for _i in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                c = REPEAT * met[i][j]
                if people[i].company == people[j].company:
                    c += HARD
                elif met[i][j] == 0 and self.is_it[i] != self.is_it[j]:
                    c -= NEW_CROSS
                cost[i][j] = cost[j][i] = c
        self.cost = cost
        self.sizes = sizes
        self.tables: list[list[int]] = [[] for _s in sizes]
        self.it_count = [0] * len(sizes)

    def mix_penalty(self, size: int, it: int) -> int:
        return HARD if size >= 2 and (it == 0 or it == size) else 0

    def table_cost(self, t: int) -> int:
        members = self.tables[t]
        c = sum(self.cost[a][b] for k, a in enumerate(members) for b in members[k + 1 :])
        return c + self.mix_penalty(len(members), self.it_count[t])

    def total(self) -> int:
        return sum(self.table_cost(t) for t in range(len(self.tables)))

    def construct(self, rng: random.Random, company_of: list[str]) -> None:
        group = {}
        for c in company_of:
            group[c] = group.get(c, 0) + 1
        order = list(range(self.n))
        rng.shuffle(order)
        order.sort(key=lambda i: -group[company_of[i]])
        # People of the rarer kind first within each group size, so every table gets one of them.
        its = sum(self.is_it)
        rare_is_it = its <= self.n - its
        order.sort(key=lambda i: (-group[company_of[i]], self.is_it[i] != rare_is_it))
        for i in order:
            best, best_key = None, None
            for t, members in enumerate(self.tables):
                if len(members) >= self.sizes[t]:
                    continue
                add = sum(self.cost[i][m] for m in members)
                has_kind = any(self.is_it[m] == self.is_it[i] for m in members)
                key = (add + (HARD // 2 if has_kind else 0), len(members) / max(self.sizes[t], 1), rng.random())
                if best_key is None or key < best_key:
                    best, best_key = t, key
            self.tables[best].append(i)
            self.it_count[best] += self.is_it[i]

    def swap_delta(self, a: int, ia: int, b: int, ib: int) -> int:
        ta, tb = self.tables[a], self.tables[b]
        i, j = ta[ia], tb[ib]
        ci, cj = self.cost[i], self.cost[j]
        d = 0
        for m in ta:
            if m != i:
                d += cj[m] - ci[m]
        for m in tb:
            if m != j:
                d += ci[m] - cj[m]
        if self.is_it[i] != self.is_it[j]:
            sa, sb = len(ta), len(tb)
            shift = self.is_it[j] - self.is_it[i]
            d += self.mix_penalty(sa, self.it_count[a] + shift) - self.mix_penalty(sa, self.it_count[a])
            d += self.mix_penalty(sb, self.it_count[b] - shift) - self.mix_penalty(sb, self.it_count[b])
        return d

    def swap(self, a: int, ia: int, b: int, ib: int) -> None:
        i, j = self.tables[a][ia], self.tables[b][ib]
        self.tables[a][ia], self.tables[b][ib] = j, i
        shift = self.is_it[j] - self.is_it[i]
        self.it_count[a] += shift
        self.it_count[b] -= shift

    def anneal(self, rng: random.Random, iterations: int, deadline: float) -> None:
        filled = [t for t, members in enumerate(self.tables) if members]
        if len(filled) < 2 or iterations <= 0:
            return
        current = self.total()
        best, best_tables = current, [list(m) for m in self.tables]
        t_start, t_end = 4.0, 0.05
        for step in range(iterations):
            if step % 256 == 0 and time.monotonic() > deadline:
                break
            a, b = rng.sample(filled, 2)
            ia, ib = rng.randrange(len(self.tables[a])), rng.randrange(len(self.tables[b]))
            d = self.swap_delta(a, ia, b, ib)
            temp = t_start * (t_end / t_start) ** (step / iterations)
            if d <= 0 or rng.random() < math.exp(-d / temp):
                self.swap(a, ia, b, ib)
                current += d
                if current < best:
                    best, best_tables = current, [list(m) for m in self.tables]
        self.tables = best_tables
        self.it_count = [sum(self.is_it[m] for m in members) for members in best_tables]


def _met_matrix(ids: list[Hashable], met: dict[frozenset, int]) -> list[list[int]]:
    n = len(ids)
    matrix = [[0] * n for _i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = met.get(_pair(ids[i], ids[j]), 0)
    return matrix


def _met_counts(met: Iterable[frozenset] | dict[frozenset, int]) -> dict[frozenset, int]:
    if isinstance(met, dict):
        return dict(met)
    counts: dict[frozenset, int] = {}
    for pair in met:
        counts[frozenset(pair)] = counts.get(frozenset(pair), 0) + 1
    return counts


def assign(
    participants: Sequence[Participant],
    *,
    rounds: int,
    tables: int,
    met: Iterable[frozenset] | dict[frozenset, int] = (),
    seed: int = 0,
    iterations: int | None = None,
    time_limit: float = 3.0,
) -> Assignment:
    """Seat `participants` for `rounds` rounds at `tables` tables (see the module docstring).

    `met` holds pairs of participant ids who met before this event (or a count per pair). `iterations` per round
    defaults to 400 × participants (at most 40,000); `time_limit` bounds the whole run in seconds.
    """
    people = list(participants)
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("participant ids must be unique")
    tables = max(1, min(tables, len(people))) if people else max(tables, 1)
    counts = _met_counts(met)
    rng = random.Random(seed)  # noqa: S311 — a seeded optimiser, not security
    deadline = time.monotonic() + time_limit
    steps = iterations if iterations is not None else min(40_000, 400 * len(people))
    sizes = table_sizes(len(people), tables)
    company_of = [p.company for p in people]
    plan: Assignment = []
    for _r in range(rounds):
        state = _Round(people, _met_matrix(ids, counts), sizes)
        state.construct(rng, company_of)
        state.anneal(rng, steps, deadline)
        seating = [[ids[i] for i in sorted(members)] for members in state.tables]
        plan.append(seating)
        _record(counts, seating)
    return plan


def _record(counts: dict[frozenset, int], seating: list[list[Hashable]]) -> None:
    for members in seating:
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                pair = _pair(a, b)
                counts[pair] = counts.get(pair, 0) + 1


def random_assignment(participants: Sequence[Participant], *, rounds: int, tables: int, seed: int = 0) -> Assignment:
    """The baseline: each round a uniform shuffle cut into the same balanced table sizes."""
    people = [p.id for p in participants]
    tables = max(1, min(tables, len(people))) if people else max(tables, 1)
    rng = random.Random(seed ^ 0x5EED)  # noqa: S311 — a seeded baseline
    sizes = table_sizes(len(people), tables)
    plan: Assignment = []
    for _r in range(rounds):
        order = list(people)
        rng.shuffle(order)
        seating, start = [], 0
        for size in sizes:
            seating.append(order[start : start + size])
            start += size
        plan.append(seating)
    return plan


def evaluate(
    participants: Sequence[Participant], plan: Assignment, *, met: Iterable[frozenset] | dict[frozenset, int] = ()
) -> dict[str, int]:
    """Figures of a plan: new pairs and new IT × local pairs met, pairs meeting again, hard-constraint breaches."""
    by_id = {p.id: p for p in participants}
    counts = _met_counts(met)
    figures = {
        "new_pairs": 0,
        "new_cross_pairs": 0,
        "repeated_pairs": 0,
        "same_company_pairs": 0,
        "unmixed_tables": 0,
        "size_spread": 0,
    }
    for seating in plan:
        sizes = [len(m) for m in seating]
        figures["size_spread"] = max(figures["size_spread"], (max(sizes) - min(sizes)) if sizes else 0)
        for members in seating:
            kinds = {by_id[m].is_it for m in members}
            if len(members) >= 2 and len(kinds) < 2:
                figures["unmixed_tables"] += 1
            for k, a in enumerate(members):
                for b in members[k + 1 :]:
                    pa, pb = by_id[a], by_id[b]
                    if pa.company == pb.company:
                        figures["same_company_pairs"] += 1
                    if counts.get(_pair(a, b), 0):
                        figures["repeated_pairs"] += 1
                    else:
                        figures["new_pairs"] += 1
                        if pa.is_it != pb.is_it:
                            figures["new_cross_pairs"] += 1
        _record(counts, seating)
    figures["hard_violations"] = figures["same_company_pairs"] + figures["unmixed_tables"]
    return figures


def plan_with_baseline(
    participants: Sequence[Participant],
    *,
    rounds: int,
    tables: int,
    met: Iterable[frozenset] | dict[frozenset, int] = (),
    seed: int = 0,
    iterations: int | None = None,
    time_limit: float = 3.0,
) -> tuple[Assignment, dict]:
    """The optimised plan and, in the same run, a random assignment's figures to compare it with."""
    counts = _met_counts(met)
    started = time.monotonic()
    plan = assign(
        participants, rounds=rounds, tables=tables, met=counts, seed=seed, iterations=iterations, time_limit=time_limit
    )
    elapsed = time.monotonic() - started
    baseline = random_assignment(participants, rounds=rounds, tables=tables, seed=seed)
    return plan, {
        "optimised": evaluate(participants, plan, met=counts),
        "random": evaluate(participants, baseline, met=counts),
        "seconds": round(elapsed, 3),
        "participants": len(participants),
        "it": sum(1 for p in participants if p.is_it),
        "mix_feasible": mix_feasible(participants, tables),
        "apart_feasible": apart_feasible(participants, tables),
    }
