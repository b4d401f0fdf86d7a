"""Choosing the companies to hear: a small integer programme solved by HiGHS (`scipy.optimize.milp`).

Variables: x_c ∈ {0, 1} per candidate (fixed to 1 for designated and locked ones), and for every stratum s of
every stratum family a surplus d⁺_s and a shortfall d⁻_s with Σ_{c∈s} x_c − quota_s = d⁺_s − d⁻_s.

    minimise   W_DEV·Σ(d⁺ + d⁻) + Σ_c x_c·(heard_before penalty + compactness_weight·km to base)
    subject to Σ_c x_c ≥ target,  0 ≤ d⁺_s, d⁻_s ≤ U

U, the largest deviation allowed in any stratum, starts at the smallest value that could be feasible and
grows until the programme is feasible; so quotas come first (the largest deviation, then the total), and
among equally balanced selections the planner prefers companies never heard before and companies near a
communicator who covers their region.
Infeasible quotas (more designated companies in a stratum than its quota, too few candidates) are not an
error: the deviation is reported. The km here is straight-line × detour (no routing engine call for 3,000
candidates); the routing step uses the real travel model.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from .travel import TravelModel, distance_km_matrix
from .types import Candidate, Communicator, PlanProblem

W_DEV = 1_000.0  # per visit of deviation, summed over strata
HEARD_BEFORE_KM = 60.0  # a company heard before costs as much as one 60 km further away
UNCOVERED_KM = 500.0  # no communicator covers the company's region: it could only be an alternative


@dataclass
class SelectionResult:
    selected: tuple[int, ...]  # company ids
    quota_deviation: dict[str, dict[str, int]]  # family → stratum → selected − quota
    max_quota_deviation: int
    target: int  # the target actually used (capped at the number of candidates)
    status: str  # "optimal" | "time_limit" | "fallback"
    seconds: float
    notes: list[str] = field(default_factory=list)


def covering_communicators(candidate: Candidate, communicators: Sequence[Communicator]) -> list[int]:
    """Indexes of the communicators whose regions include the candidate's region (all when unrestricted)."""
    found = []
    for index, communicator in enumerate(communicators):
        if not communicator.region_codes:
            found.append(index)
            continue
        region = communicator.region_of_candidate.get(candidate.company_id)
        if region is not None and region in communicator.region_codes:
            found.append(index)
    return found


def base_distance_km(problem: PlanProblem) -> np.ndarray:
    """Per candidate: straight-line km × detour to the home of the nearest communicator covering it."""
    candidates, communicators = problem.candidates, problem.communicators
    if not communicators:
        return np.full(len(candidates), UNCOVERED_KM)
    km = distance_km_matrix([c.point for c in candidates], [m.home for m in communicators])
    km *= problem.settings.detour_factor
    mask = np.full(km.shape, np.inf)
    for row, candidate in enumerate(candidates):
        covering = covering_communicators(candidate, communicators)
        mask[row, covering] = 0.0
    out = np.min(km + mask, axis=1)
    out[~np.isfinite(out)] = UNCOVERED_KM
    return out


def quota_deviation(
    selected_ids: Sequence[int], candidates: Sequence[Candidate], quotas: dict[str, dict[str, int]]
) -> tuple[dict[str, dict[str, int]], int]:
    """family → stratum → (selected − quota) for every stratum with a quota; and the largest |deviation|."""
    chosen = set(selected_ids)
    counts: dict[str, dict[str, int]] = {family: {} for family in quotas}
    for candidate in candidates:
        if candidate.company_id not in chosen:
            continue
        for family in quotas:
            stratum = candidate.strata.get(family)
            if stratum is not None:
                counts[family][stratum] = counts[family].get(stratum, 0) + 1
    deviation = {
        family: {stratum: counts[family].get(stratum, 0) - quota for stratum, quota in sorted(quotas[family].items())}
        for family in sorted(quotas)
    }
    worst = max((abs(v) for strata in deviation.values() for v in strata.values()), default=0)
    return deviation, worst


def candidate_costs(problem: PlanProblem) -> np.ndarray:
    settings = problem.settings
    km = base_distance_km(problem)
    finite = km[km < UNCOVERED_KM]
    neutral = float(np.median(finite)) if finite.size else 0.0
    costs = np.empty(len(problem.candidates))
    for i, candidate in enumerate(problem.candidates):
        # An online-only company costs no travel, but it should not win over visits for that reason alone.
        distance = neutral if candidate.online_only else km[i]
        costs[i] = settings.compactness_weight * distance + (HEARD_BEFORE_KM if candidate.heard_before else 0.0)
    return costs


def select(
    problem: PlanProblem, travel: TravelModel | None = None, *, time_limit: float | None = None
) -> SelectionResult:
    """Choose the companies: every designated (and locked) one, the target reached, quotas met as closely as possible.

    `travel` is accepted for symmetry with the other steps; the geographic cost uses straight-line km × detour.
    """
    started = time.perf_counter()
    settings = problem.settings
    candidates = problem.candidates
    n = len(candidates)
    forced = np.array([c.designated or c.locked is not None for c in candidates], dtype=bool)
    target = min(settings.target, n)
    notes = []
    if target < settings.target:
        notes.append(f"候補が{n}社しかないため、目標{settings.target}社に届きません")
    if n == 0:
        deviation, worst = quota_deviation((), candidates, settings.quotas)
        return SelectionResult((), deviation, worst, 0, "optimal", time.perf_counter() - started, notes)

    strata = [
        (family, stratum, quota)
        for family in sorted(settings.quotas)
        for stratum, quota in sorted(settings.quotas[family].items())
    ]
    members: dict[int, list[int]] = {k: [] for k in range(len(strata))}
    stratum_index = {(family, stratum): k for k, (family, stratum, _quota) in enumerate(strata)}
    for i, candidate in enumerate(candidates):
        for family, stratum in candidate.strata.items():
            k = stratum_index.get((family, stratum))
            if k is not None:
                members[k].append(i)
    costs = candidate_costs(problem)
    limit = time_limit if time_limit is not None else max(1.0, min(30.0, settings.seconds * 0.2))
    deadline = started + limit
    # The smallest largest deviation that could be possible: designated beyond a quota, or too few candidates.
    # Start at 1, not 0: proving "0 everywhere" infeasible costs a second, and the total deviation in the
    # objective already drives every stratum it can to 0.
    bound = max(
        [1]
        + [int(forced[members[k]].sum()) - quota for k, (_f, _s, quota) in enumerate(strata)]
        + [quota - len(members[k]) for k, (_f, _s, quota) in enumerate(strata)]
    )
    x, status = None, "fallback"
    while x is None and time.perf_counter() < deadline:
        x, status = _solve_bounded(n, strata, members, forced, costs, target, bound, deadline - time.perf_counter())
        if status == "infeasible":
            x = None
            bound = bound + 1 if bound < 4 else bound * 2
            if bound > target + n:
                break
        elif x is None:
            break
    if x is not None:
        chosen = [i for i in range(n) if x[i] > 0.5]
    else:
        chosen = _fallback(candidates, forced, costs, target, strata, members)
        status = "fallback"
        notes.append("最適化が時間内に解を得られず、簡易選定を使いました")
    selected = tuple(candidates[i].company_id for i in chosen)
    deviation, worst = quota_deviation(selected, candidates, settings.quotas)
    return SelectionResult(selected, deviation, worst, target, status, time.perf_counter() - started, notes)


def _solve_bounded(
    n: int,
    strata: list[tuple[str, str, int]],
    members: dict[int, list[int]],
    forced: np.ndarray,
    costs: np.ndarray,
    target: int,
    bound: int,
    seconds: float,
) -> tuple[np.ndarray | None, str]:
    """One HiGHS solve with every stratum's deviation bounded by `bound`.

    With two stratum families this is close to a min-cost flow (source → stratum of family 1 → candidate →
    stratum of family 2 → sink), so the LP relaxation is nearly integral and HiGHS answers at the root; a
    "largest deviation" variable in the objective broke that structure (minutes without proving optimality
    on 3,000 candidates), hence the bound loop.
    """
    m = len(strata)
    num_vars = n + 2 * m  # x | d⁺ | d⁻
    # Whole-number costs (0.1 km) let HiGHS close the gap by objective integrality.
    objective = np.concatenate([np.rint(costs * 10), np.full(2 * m, W_DEV * 10)])
    rows, cols, vals, lower, upper = [], [], [], [], []
    rows += [0] * n
    cols += list(range(n))
    vals += [1.0] * n
    lower.append(target)
    upper.append(np.inf)
    for k, (_family, _stratum, quota) in enumerate(strata):
        rows += [k + 1] * (len(members[k]) + 2)
        cols += [*members[k], n + k, n + m + k]
        vals += [1.0] * len(members[k]) + [-1.0, 1.0]
        lower.append(quota)
        upper.append(quota)
    matrix = coo_array((vals, (rows, cols)), shape=(m + 1, num_vars)).tocsr()
    lb = np.concatenate([forced.astype(float), np.zeros(2 * m)])
    ub = np.concatenate([np.ones(n), np.full(2 * m, float(bound))])
    integrality = np.concatenate([np.ones(n), np.zeros(2 * m)])
    result = milp(
        objective,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=integrality,
        bounds=Bounds(lb, ub),
        options={"time_limit": max(0.1, float(seconds)), "disp": False, "mip_rel_gap": 1e-4},
    )
    if result.status == 2:
        return None, "infeasible"
    if result.x is None:
        return None, "fallback"
    return result.x, "optimal" if result.status == 0 else "time_limit"


def _fallback(
    candidates: Sequence[Candidate],
    forced: np.ndarray,
    costs: np.ndarray,
    target: int,
    strata: list[tuple[str, str, int]],
    members: dict[int, list[int]],
) -> list[int]:
    """Only when HiGHS finds nothing in time: designated first, then the cheapest that overfill no quota, then
    the cheapest until the target."""
    room = {k: quota for k, (_f, _s, quota) in enumerate(strata)}
    strata_of: dict[int, list[int]] = {}
    for k, indexes in members.items():
        for i in indexes:
            strata_of.setdefault(i, []).append(k)
    chosen = [i for i in range(len(candidates)) if forced[i]]
    for i in chosen:
        for k in strata_of.get(i, []):
            room[k] -= 1
    rest = sorted(
        (i for i in range(len(candidates)) if not forced[i]), key=lambda i: (costs[i], candidates[i].company_id)
    )
    taken = set(chosen)
    for i in rest:
        if len(chosen) >= target:
            break
        if all(room[k] > 0 for k in strata_of.get(i, [])):
            chosen.append(i)
            taken.add(i)
            for k in strata_of.get(i, []):
                room[k] -= 1
    chosen += [i for i in rest if i not in taken][: max(0, target - len(chosen))]
    return sorted(chosen)
