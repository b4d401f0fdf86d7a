"""The naive plan the optimised one is measured against, built the way a person would with a spreadsheet.

Selection: every designated (and locked) company, then for each stratum of the first quota family random
companies up to its quota, then random companies up to the target. Assignment: round-robin over the
communicators who cover the company; each communicator fills their working days from the start of the year
in order (first day with room whose date suits the company and whose day still fits). Routes: nearest
neighbour from home. Hard rules (hours, windows, caps, dates, locked visits) are respected all the same.
"""

import random
import time
from collections import defaultdict

from .report import build_report
from .routing import (
    REASON_NO_CAPACITY,
    REASON_NO_COVER,
    REASON_ONLINE_ONLY,
    DayRoute,
    Network,
    Planner,
    _visits,
    day_allowed,
)
from .selection import covering_communicators
from .travel import StraightLineTravel, TravelModel
from .types import Alternative, PlanProblem, PlanResult


def naive_selection(problem: PlanProblem) -> list[int]:
    settings = problem.settings
    rng = random.Random(settings.seed)  # noqa: S311 (reproducible sampling, not secrets)
    candidates = problem.candidates
    chosen = [i for i, c in enumerate(candidates) if c.designated or c.locked is not None]
    taken = set(chosen)
    families = sorted(settings.quotas)
    if families:
        family = families[0]
        counts: dict[str, int] = defaultdict(int)
        for i in chosen:
            counts[candidates[i].strata.get(family, "")] += 1
        for stratum, quota in sorted(settings.quotas[family].items()):
            pool = [i for i, c in enumerate(candidates) if i not in taken and c.strata.get(family) == stratum]
            rng.shuffle(pool)
            for i in pool[: max(0, quota - counts[stratum])]:
                chosen.append(i)
                taken.add(i)
    rest = [i for i in range(len(candidates)) if i not in taken]
    rng.shuffle(rest)
    chosen += rest[: max(0, settings.target - len(chosen))]
    return sorted(chosen)


def _nearest_neighbour(planner: Planner, communicator: int, stops: list[int]) -> list[int]:
    net = planner.network
    here = net.home(communicator)
    left = list(stops)
    order = []
    while left:
        nxt = min(left, key=lambda s: (net.km[here, net.at(s)], s))
        order.append(nxt)
        left.remove(nxt)
        here = net.at(nxt)
    return order


def naive_plan(problem: PlanProblem, travel: TravelModel | None = None) -> PlanResult:
    started = time.perf_counter()
    settings = problem.settings
    travel = travel or StraightLineTravel(settings.detour_factor, settings.speed_kmh)
    candidates = problem.candidates
    communicators = problem.communicators
    comm_index = {c.communicator_id: i for i, c in enumerate(communicators)}
    chosen = naive_selection(problem)
    alternatives: list[Alternative] = []
    locked: dict[tuple[int, object], list[int]] = defaultdict(list)
    todo = []
    for i in chosen:
        c = candidates[i]
        if c.locked is not None and c.locked.communicator_id in comm_index:
            locked[comm_index[c.locked.communicator_id], c.locked.day].append(i)
        elif c.online_only:
            alternatives.append(Alternative(c.company_id, "online", REASON_ONLINE_ONLY))
        elif not covering_communicators(c, communicators):
            alternatives.append(Alternative(c.company_id, "online", REASON_NO_COVER))
        else:
            todo.append(i)
    planner = Planner(problem, Network(problem, [*todo, *(i for s in locked.values() for i in s)], travel))
    days = {
        k: [
            d
            for d in sorted(set(m.working_days))
            if (k, d) not in locked and not (settings.plan_from and d < settings.plan_from)
        ]
        for k, m in enumerate(communicators)
    }
    day_stops: dict[tuple[int, object], list[int]] = defaultdict(list)
    turn = 0
    for i in todo:
        covering = covering_communicators(candidates[i], communicators)
        placed = False
        for step in range(len(communicators)):
            k = (turn + step) % len(communicators)
            if k not in covering:
                continue
            for day in days[k]:
                stops = day_stops[k, day]
                if len(stops) >= communicators[k].max_visits_per_day or not day_allowed(candidates[i], day):
                    continue
                order = _nearest_neighbour(planner, k, [*stops, i])
                if planner.schedule(k, order) is not None:
                    day_stops[k, day] = order
                    placed = True
                    break
            if placed:
                turn = (k + 1) % len(communicators)
                break
        if not placed:
            alternatives.append(Alternative(candidates[i].company_id, "seminar", REASON_NO_CAPACITY))
    routes = [DayRoute(k, d, s) for (k, d), s in day_stops.items() if s]
    routes += [
        DayRoute(k, d, sorted(s, key=lambda i: candidates[i].locked.start), locked=True) for (k, d), s in locked.items()
    ]
    routes.sort(key=lambda r: (communicators[r.communicator].communicator_id, r.day))
    visits = tuple(_visits(planner, routes))
    selected = tuple(candidates[i].company_id for i in chosen)
    alternatives.sort(key=lambda a: a.company_id)
    report = build_report(problem, selected, visits, alternatives, travel, solve_seconds=time.perf_counter() - started)
    return PlanResult(selected=selected, visits=visits, alternatives=tuple(alternatives), report=report)
