"""Spreading the visits evenly over the communicators.

A communicator's *expected* number of visits is the plan's visits split in proportion to their working days ×
daily cap (paid staff with similar hours get similar numbers; someone on part-time days gets fewer). Before
routing, every company is assigned to one communicator by a small integer programme (HiGHS):

    minimise   Σ km(home_c, company_i)·x_ic + W_BAND·Σ_c (under_c + over_c)
    subject to Σ_c x_ic = 1 for every company,
               lo_c − under_c ≤ locked_c + Σ_i x_ic ≤ hi_c + over_c,  x_ic = 0 where c cannot take i

with [lo_c, hi_c] = expected_c × (1 ∓ tolerance), rounded outwards. The band is soft: when region coverage,
reach or dates make it impossible, the programme still answers with the smallest overrun (and says so).
Inside the band, the distance from home decides, so the workload costs as little travel as it can.
"""

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from .types import Communicator, PlanProblem, ScheduledVisit

W_BAND = 100_000.0  # km-equivalent per visit outside a communicator's band: the band comes first


def capacity(communicator: Communicator) -> int:
    """Working days × daily cap: the weight of the communicator's share of the visits."""
    return len(set(communicator.working_days)) * max(1, communicator.max_visits_per_day)


def expected_visits(communicators: Sequence[Communicator], total: int) -> list[float]:
    """The plan's `total` visits split in proportion to each communicator's capacity."""
    weights = [capacity(c) for c in communicators]
    whole = sum(weights)
    if not whole:
        return [0.0 for _ in communicators]
    return [total * w / whole for w in weights]


def band(expected: float, tolerance: float) -> tuple[int, int]:
    """The whole numbers of visits within ± tolerance of `expected`, rounded outwards."""
    tolerance = max(0.0, tolerance)
    return max(0, math.floor(expected * (1 - tolerance) + 1e-9)), math.ceil(expected * (1 + tolerance) - 1e-9)


def workload(
    communicators: Sequence[Communicator], visits: Sequence[ScheduledVisit]
) -> tuple[dict[int, dict[str, float]], float]:
    """Per communicator id: visits, expected visits and relative deviation; and the largest |deviation|."""
    counts = {c.communicator_id: 0 for c in communicators}
    for visit in visits:
        if visit.communicator_id in counts:
            counts[visit.communicator_id] += 1
    expected = expected_visits(communicators, sum(counts.values()))
    out: dict[int, dict[str, float]] = {}
    spread = 0.0
    for comm, share in zip(communicators, expected, strict=True):
        visits_c = counts[comm.communicator_id]
        deviation = (visits_c - share) / share if share > 0 else 0.0
        spread = max(spread, abs(deviation))
        out[comm.communicator_id] = {
            "visits": visits_c,
            "expected": round(share, 1),
            "deviation": round(deviation, 3),
        }
    return out, round(spread, 3)


@dataclass
class Assignment:
    owner: dict[int, int]  # candidate index → communicator index
    bands: list[tuple[int, int]]  # per communicator: (lo, hi) new visits (the locked ones already counted)
    within: bool  # every communicator ends inside their band
    status: str  # "optimal" | "time_limit" | "fallback"
    seconds: float
    notes: list[str] = field(default_factory=list)


def assign(
    problem: PlanProblem,
    pending: Sequence[int],
    eligible: dict[int, list[int]],
    km_from_home: np.ndarray,
    locked_counts: Sequence[int],
    *,
    tolerance: float,
    time_limit: float = 5.0,
) -> Assignment:
    """One communicator per pending company (candidate indexes), every communicator's total within the band.

    `km_from_home[c, k]` is the travel km from communicator c's home to `pending[k]`.
    """
    started = time.perf_counter()
    communicators = problem.communicators
    m = len(communicators)
    total = len(pending) + sum(locked_counts)
    totals = [band(share, tolerance) for share in expected_visits(communicators, total)]
    bands = [(max(0, lo - locked), max(0, hi - locked)) for (lo, hi), locked in zip(totals, locked_counts, strict=True)]
    pairs = [(k, c) for k, i in enumerate(pending) for c in eligible[i]]
    if not pairs:
        return _finish({}, totals, bands, locked_counts, "optimal", started)
    n_pairs = len(pairs)
    # Variables: x per (company, communicator) pair | under_c | over_c.
    cost = np.concatenate(
        [np.array([km_from_home[c, k] for k, c in pairs]), np.full(2 * m, W_BAND)],
    )
    rows, cols, vals = [], [], []
    for col, (k, c) in enumerate(pairs):
        rows += [k, len(pending) + c]
        cols += [col, col]
        vals += [1.0, 1.0]
    for c in range(m):
        rows += [len(pending) + c, len(pending) + c]
        cols += [n_pairs + c, n_pairs + m + c]
        vals += [1.0, -1.0]  # Σx + under − over ∈ [lo, hi]
    matrix = coo_array((vals, (rows, cols)), shape=(len(pending) + m, n_pairs + 2 * m)).tocsr()
    lower = np.concatenate([np.ones(len(pending)), [lo for lo, _hi in bands]])
    upper = np.concatenate([np.ones(len(pending)), [hi for _lo, hi in bands]])
    result = milp(
        np.rint(cost * 10),
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.concatenate([np.ones(n_pairs), np.zeros(2 * m)]),
        bounds=Bounds(np.zeros(n_pairs + 2 * m), np.concatenate([np.ones(n_pairs), np.full(2 * m, np.inf)])),
        options={"time_limit": max(0.1, float(time_limit)), "disp": False},
    )
    if result.x is not None:
        status = "optimal" if result.status == 0 else "time_limit"
        owner = {pending[k]: c for col, (k, c) in enumerate(pairs) if result.x[col] > 0.5}
    else:
        status = "fallback"
        owner = _greedy(pending, eligible, km_from_home, bands)
    missing = [i for i in pending if i not in owner]  # cannot happen with HiGHS; safe all the same
    if missing:
        owner.update(_greedy(missing, eligible, km_from_home, bands, indexes=[pending.index(i) for i in missing]))
    return _finish(owner, totals, bands, locked_counts, status, started)


def _finish(
    owner: dict[int, int],
    totals: list[tuple[int, int]],
    bands: list[tuple[int, int]],
    locked_counts: Sequence[int],
    status: str,
    started: float,
) -> Assignment:
    """The assignment, with whether every communicator's total (locked visits included) is inside the band."""
    load = list(locked_counts)
    for c in owner.values():
        load[c] += 1
    within = all(lo <= load[c] <= hi for c, (lo, hi) in enumerate(totals))
    notes = []
    if not within:
        notes.append("担当地域・日程・確定済みの訪問により、担当者ごとの訪問数を許容範囲に収められませんでした")
    return Assignment(owner, bands, within, status, time.perf_counter() - started, notes)


def _greedy(
    pending: Sequence[int],
    eligible: dict[int, list[int]],
    km_from_home: np.ndarray,
    bands: list[tuple[int, int]],
    *,
    indexes: Sequence[int] | None = None,
) -> dict[int, int]:
    """Nearest communicator with room below their upper bound, else the nearest one (only without HiGHS)."""
    positions = list(indexes) if indexes is not None else list(range(len(pending)))
    load = [0] * len(bands)
    owner = {}
    for k, i in sorted(zip(positions, pending, strict=True), key=lambda p: len(eligible[p[1]])):
        options = sorted(eligible[i], key=lambda c: (km_from_home[c, k], c))
        room = [c for c in options if load[c] < bands[c][1]]
        c = (room or options)[0]
        owner[i] = c
        load[c] += 1
    return owner
