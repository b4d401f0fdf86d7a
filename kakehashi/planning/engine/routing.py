"""Scheduling and routing the chosen visits with PyVRP, then dating the routes.

Modelling (chosen so PyVRP solves it well at ~420 visits × ~1,300 communicator-days):

0. **Workload.** With `balance_tolerance` set, every company is first given to one communicator so that each
   one's visits stay within the band around their share (`balance.assign`); PyVRP then routes each
   communicator's companies on their own. Without it, PyVRP chooses the communicator too (least travel).
1. **Tours with PyVRP.** One depot per communicator (their home) and one *vehicle type per communicator and
   month*, `num_available` = how many days of that month the communicator may go out (paced over the year,
   see `_day_allowance`), capacity = `max_visits_per_day`, and a shift of `day_end − day_start` that
   includes the drive out and back. Months are laid end to end on one time axis (month p is the virtual day
   `[p·1440 + day_start, p·1440 + day_end]`), so a company's `not_before`/`not_after` becomes a single client
   time window over the months it allows, with its own hours at both ends. Communicators who cover only
   some regions (or cannot reach a company within a day) get their own routing profile in which those
   companies are unreachable. Every client is optional with a large prize (designated ten times larger):
   what cannot fit drops out instead of making the whole problem infeasible.
2. **Exact schedules.** Each tour (≤ a handful of stops) is re-timed exactly against every company's window
   and the communicator's hours, trying every stop order when the tour is small; stops that still do not
   fit go to a repair pool.
3. **Dates.** Within each communicator-month the tours are matched to working days by a min-cost assignment
   (`scipy.optimize.linear_sum_assignment`) that honours each company's date range and preferred weekdays and
   spreads the tours evenly over the month.
4. **Repair.** Pool companies are inserted at the cheapest feasible place in an existing day or on a free
   day; what is left becomes an alternative (online or seminar hearing) with the reason.

Locked visits (done or fixed) are kept exactly. A future communicator-day that holds one takes new visits up to
the daily cap around the fixed times: in repair, and by moving the communicator's own visits there when that
saves travel (`_fill_locked_days`).
"""

import datetime
import itertools
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyvrp
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria
from scipy.optimize import linear_sum_assignment

from . import balance
from .selection import covering_communicators
from .travel import StraightLineTravel, TravelModel
from .types import Alternative, Candidate, Communicator, PlanProblem, ScheduledVisit

DAY = 1440
BIG_DISTANCE = 10**9  # metres: an edge that must not be used
BIG_DURATION = 10**6  # minutes
PRIZE = 10**8  # metres of travel worth one visit (100,000 km: only infeasibility drops a visit)
DESIGNATED_PRIZE = 10**9
UNASSIGNABLE = 10**9
MAX_PERMUTED_STOPS = 6  # tours up to this size are re-ordered exhaustively

REASON_ONLINE_ONLY = "オンラインのみ希望"
REASON_NO_COVER = "担当地域の担当者がいない"
REASON_TOO_FAR = "日帰りの訪問に収まらない遠方"
REASON_NO_DAY = "希望の日程・時間帯に担当者の稼働日がない"
REASON_NO_CAPACITY = "担当者の稼働日に収まらない"
FILL_NEIGHBOURS = 8  # a locked day's nearest visits (of the same communicator) tried for moving there
BALANCE_SHARE = 0.1  # of the routing budget, at most, for the workload assignment (HiGHS: well under a second)


@dataclass
class DayRoute:
    communicator: int  # index into problem.communicators
    day: datetime.date
    stops: list[int]  # indexes into problem.candidates, in visiting order
    locked: bool = False  # holds locked visits (kept exactly)
    fixed: dict[int, int] = field(default_factory=dict)  # locked stop → its fixed start (minutes)
    closed: bool = False  # a locked day that takes no new visits (in the past, or not a working day)


@dataclass
class RoutingResult:
    visits: tuple[ScheduledVisit, ...]
    alternatives: tuple[Alternative, ...]
    routes: list[DayRoute]
    seconds: float
    pyvrp_cost: int | None = None
    pyvrp_feasible: bool | None = None
    notes: list[str] = field(default_factory=list)


def month_key(day: datetime.date) -> tuple[int, int]:
    return day.year, day.month


def window_for(candidate: Candidate, communicator: Communicator, duration: int) -> tuple[int, int]:
    """(earliest arrival, latest start) in minutes, inside the communicator's hours."""
    latest_in_day = communicator.day_end - duration
    if candidate.window is None:
        return communicator.day_start, latest_in_day
    early, late = candidate.window
    return max(early, communicator.day_start), min(late, latest_in_day)


def day_allowed(candidate: Candidate, day: datetime.date) -> bool:
    if candidate.not_before and day < candidate.not_before:
        return False
    if candidate.not_after and day > candidate.not_after:
        return False
    return not candidate.preferred_weekdays or day.weekday() in candidate.preferred_weekdays


class Network:
    """Travel between the communicators' homes and the companies of one plan, as numpy arrays."""

    def __init__(self, problem: PlanProblem, candidate_indexes: Sequence[int], travel: TravelModel):
        self.problem = problem
        self.num_homes = len(problem.communicators)
        self.position = {c: self.num_homes + k for k, c in enumerate(candidate_indexes)}
        points = [m.home for m in problem.communicators] + [problem.candidates[c].point for c in candidate_indexes]
        if isinstance(travel, StraightLineTravel):
            minutes, km = travel.arrays(points)
        else:
            minutes_list, km_list = travel.matrix(points)
            minutes, km = np.array(minutes_list, dtype=np.int64), np.array(km_list, dtype=float)
        self.minutes = minutes
        self.km = km

    def home(self, communicator: int) -> int:
        return communicator

    def at(self, candidate: int) -> int:
        return self.position[candidate]

    def leg(self, a: int, b: int) -> tuple[int, float]:
        return int(self.minutes[a, b]), float(self.km[a, b])


class Planner:
    """The routing state of one plan: which company goes with whom on which day, and the exact times."""

    def __init__(self, problem: PlanProblem, network: Network):
        self.problem = problem
        self.network = network
        self.settings = problem.settings

    def duration(self, candidate: int) -> int:
        value = self.problem.candidates[candidate].duration
        return int(value if value is not None else self.settings.visit_minutes)

    def schedule(
        self, communicator: int, stops: Sequence[int], fixed: dict[int, int] | None = None
    ) -> list[tuple[int, int, int, float]] | None:
        """(start, end, travel minutes, travel km) per stop, or None when the day does not fit.

        The communicator leaves home at day_start (later if the first company's window opens later), waits
        when early, must start every visit by the company's latest start, and be home by day_end.
        `fixed` stops (locked visits) start at their fixed time, in their own order; a new visit before one
        must leave time to drive there. Legs between fixed visits are theirs and not checked again.
        """
        fixed = fixed or {}
        comm = self.problem.communicators[communicator]
        net = self.network
        home = net.home(communicator)
        out = []
        previous = home
        previous_fixed = False
        clock = comm.day_start
        for position, stop in enumerate(stops):
            duration = self.duration(stop)
            minutes, km = net.leg(previous, net.at(stop))
            if stop in fixed:
                start = fixed[stop]
                if position and start < clock + (0 if previous_fixed else minutes):
                    return None
                previous_fixed = True
            else:
                early, late = window_for(self.problem.candidates[stop], comm, duration)
                arrival = clock + minutes
                if position == 0:
                    arrival = max(arrival, early)  # leave later rather than wait outside
                start = max(arrival, early)
                if start > late:
                    return None
                previous_fixed = False
            end = start + duration
            out.append((start, end, minutes, km))
            clock = end
            previous = net.at(stop)
        if stops and not previous_fixed and clock + net.leg(previous, home)[0] > comm.day_end:
            return None
        return out

    def route_km(self, communicator: int, stops: Sequence[int]) -> float:
        net = self.network
        nodes = [net.home(communicator), *(net.at(s) for s in stops), net.home(communicator)]
        return float(sum(net.km[a, b] for a, b in itertools.pairwise(nodes)))

    def best_order(
        self, communicator: int, stops: Sequence[int], fixed: dict[int, int] | None = None
    ) -> list[int] | None:
        """The feasible order of these stops with the least km (exhaustive for small tours)."""
        if not stops:
            return []
        if self.schedule(communicator, stops, fixed) is not None and len(stops) > MAX_PERMUTED_STOPS:
            return list(stops)
        best, best_km = None, math.inf
        orders = itertools.permutations(stops) if len(stops) <= MAX_PERMUTED_STOPS else [tuple(stops)]
        for order in orders:
            km = self.route_km(communicator, order)
            if km < best_km - 1e-9 and self.schedule(communicator, order, fixed) is not None:
                best, best_km = list(order), km
        return best

    def fits_alone(self, communicator: int, candidate: int) -> bool:
        return self.schedule(communicator, [candidate]) is not None


def _day_allowance(
    problem: PlanProblem, free_days: dict[int, dict[tuple[int, int], list[datetime.date]]], demand: int
) -> dict[tuple[int, tuple[int, int]], int]:
    """How many days each communicator may go out in each month: paced over the year, with slack.

    A communicator gets at most `balance` × the average share of the days the visits need, spread over the
    months in proportion to their working days, plus one; never more than the free days.
    """
    communicators = problem.communicators
    caps = [max(1, c.max_visits_per_day) for c in communicators]
    average_cap = sum(caps) / len(caps)
    tours_needed = math.ceil(demand / average_cap)
    per_communicator = math.ceil(tours_needed / len(communicators) * max(1.0, problem.settings.balance))
    allowance = {}
    for index in range(len(communicators)):
        allowance.update(_spread_days(index, free_days[index], per_communicator))
    return allowance


def _spread_days(
    index: int, months: dict[tuple[int, int], list[datetime.date]], days_out: int
) -> dict[tuple[int, tuple[int, int]], int]:
    """`days_out` days spread over the months in proportion to their free days, plus one; never above those."""
    total = sum(len(days) for days in months.values())
    if not total:
        return {}
    return {
        (index, month): min(len(days), math.ceil(days_out * len(days) / total) + 1) for month, days in months.items()
    }


def route(
    problem: PlanProblem,
    selected: Sequence[int],
    travel: TravelModel | None = None,
    *,
    seconds: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> RoutingResult:
    """Schedule the selected companies (ids) onto communicator-days; what cannot fit becomes an alternative."""
    started = time.perf_counter()
    settings = problem.settings
    travel = travel or StraightLineTravel(settings.detour_factor, settings.speed_kmh)
    candidates = problem.candidates
    communicators = problem.communicators
    by_id = {c.company_id: i for i, c in enumerate(candidates)}
    chosen = [by_id[company_id] for company_id in selected if company_id in by_id]
    comm_index = {c.communicator_id: i for i, c in enumerate(communicators)}
    notes: list[str] = []
    alternatives: list[Alternative] = []

    # 1. Locked visits stay; online-only and uncovered companies become alternatives.
    locked_routes: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    routable: list[int] = []
    coverage: dict[int, list[int]] = {}
    for index in chosen:
        candidate = candidates[index]
        if candidate.locked is not None and candidate.locked.communicator_id in comm_index:
            locked_routes[comm_index[candidate.locked.communicator_id], candidate.locked.day].append(index)
            continue
        if candidate.online_only:
            alternatives.append(Alternative(candidate.company_id, "online", REASON_ONLINE_ONLY))
            continue
        coverage[index] = covering_communicators(candidate, communicators)
        if not coverage[index]:
            alternatives.append(Alternative(candidate.company_id, "online", REASON_NO_COVER))
            continue
        routable.append(index)

    network = Network(problem, [*routable, *(i for stops in locked_routes.values() for i in stops)], travel)
    planner = Planner(problem, network)

    # 2. Free days per communicator and month (not locked, not before plan_from).
    free_days: dict[int, dict[tuple[int, int], list[datetime.date]]] = {}
    for index, comm in enumerate(communicators):
        months: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
        for day in sorted(set(comm.working_days)):
            if (index, day) in locked_routes or (settings.plan_from and day < settings.plan_from):
                continue
            months[month_key(day)].append(day)
        free_days[index] = dict(months)
    all_months = sorted({m for months in free_days.values() for m in months})
    period = {m: p for p, m in enumerate(all_months)}

    # 3. Who can take each company at all (covers its region, reaches it within a day, has an allowed day).
    eligible: dict[int, list[int]] = {}
    pending: list[int] = []
    for index in routable:
        candidate = candidates[index]
        reach = [c for c in coverage[index] if planner.fits_alone(c, index)]
        if not reach:
            alternatives.append(Alternative(candidate.company_id, "seminar", REASON_TOO_FAR))
            continue
        with_day = [c for c in reach if any(day_allowed(candidate, d) for ds in free_days[c].values() for d in ds)]
        if not with_day:
            alternatives.append(Alternative(candidate.company_id, "online", REASON_NO_DAY))
            continue
        eligible[index] = with_day
        pending.append(index)

    routes: list[DayRoute] = []
    pool: list[int] = []
    pyvrp_cost = pyvrp_feasible = None
    locked_counts = [0] * len(communicators)
    for (communicator, _day), stops in locked_routes.items():
        locked_counts[communicator] += len(stops)
    bands: list[tuple[int, int]] | None = None
    if pending and all_months:
        budget = seconds if seconds is not None else settings.seconds
        budget = max(0.2, budget - (time.perf_counter() - started))
        if settings.balance_tolerance is not None and len(communicators) > 1:
            km_from_home = network.km[np.ix_(range(network.num_homes), [network.at(i) for i in pending])]
            assignment = balance.assign(
                problem,
                pending,
                eligible,
                km_from_home,
                locked_counts,
                tolerance=settings.balance_tolerance,
                time_limit=max(0.2, budget * BALANCE_SHARE),
            )
            notes.extend(assignment.notes)
            bands = assignment.bands
            budget = max(0.2, budget - assignment.seconds)
            tours, pyvrp_cost, pyvrp_feasible, dropped = _solve_per_communicator(
                problem, planner, pending, assignment.owner, free_days, period, budget, progress
            )
        else:
            allowance = _day_allowance(problem, free_days, len(pending))
            tours, pyvrp_cost, pyvrp_feasible, dropped = _solve_tours(
                problem, planner, pending, eligible, free_days, period, allowance, budget, progress
            )
        pool.extend(dropped)
        # 4. Exact times for each tour; stops that do not fit go to the pool.
        by_month: dict[tuple[int, tuple[int, int]], list[list[int]]] = defaultdict(list)
        for communicator, month, stops in tours:
            pool.extend(s for s in stops if communicator not in eligible[s])
            stops = [s for s in stops if communicator in eligible[s]]
            cap = max(1, communicators[communicator].max_visits_per_day)
            order = planner.best_order(communicator, stops) if len(stops) <= cap else None
            while stops and order is None:
                worst = _least_fitting(planner, communicator, stops)
                stops.remove(worst)
                pool.append(worst)
                order = planner.best_order(communicator, stops) if len(stops) <= cap else None
            if order:
                by_month[communicator, month].append(order)
        # 5. Dates.
        for (communicator, month), month_tours in sorted(by_month.items()):
            days = free_days[communicator].get(month, [])
            assigned, unassigned = _assign_days(candidates, month_tours, days)
            for day, stops in assigned:
                routes.append(DayRoute(communicator, day, stops))
            for stops in unassigned:
                pool.extend(stops)
    elif pending:
        pool.extend(pending)

    # 6. Locked days: kept exactly; future working days among them take new visits up to the cap.
    for (communicator, day), stops in locked_routes.items():
        ordered = sorted(stops, key=lambda i: (candidates[i].locked.start, candidates[i].company_id))
        fixed = {i: candidates[i].locked.start for i in ordered}
        closed = (settings.plan_from is not None and day < settings.plan_from) or day not in set(
            communicators[communicator].working_days
        )
        routes.append(DayRoute(communicator, day, ordered, locked=True, fixed=fixed, closed=closed))

    # 7. Repair: cheapest feasible insertion, designated first, with a communicator still below their band's
    # upper end when there is one; the rest become alternatives.
    used_days = {(r.communicator, r.day) for r in routes}
    load = Counter(r.communicator for r in routes for _stop in r.stops)
    pool = sorted(set(pool), key=lambda i: (not candidates[i].designated, candidates[i].company_id))
    for index in pool:
        options = eligible[index]
        if bands is not None:
            below = [c for c in options if load[c] < locked_counts[c] + bands[c][1]]
            if below and _insert(planner, routes, used_days, free_days, below, index, load):
                continue
        if not _insert(planner, routes, used_days, free_days, options, index, load):
            alternatives.append(Alternative(candidates[index].company_id, "seminar", REASON_NO_CAPACITY))
    _fill_locked_days(planner, routes, used_days)
    routes = [r for r in routes if r.stops]
    routes.sort(key=lambda r: (communicators[r.communicator].communicator_id, r.day))
    visits = _visits(planner, routes)
    alternatives.sort(key=lambda a: a.company_id)
    return RoutingResult(
        tuple(visits), tuple(alternatives), routes, time.perf_counter() - started, pyvrp_cost, pyvrp_feasible, notes
    )


def _least_fitting(planner: Planner, communicator: int, stops: list[int]) -> int:
    """The stop whose removal leaves a feasible tour with the least km (non-designated first)."""
    candidates = planner.problem.candidates
    best, best_key = stops[-1], None
    for stop in stops:
        rest = [s for s in stops if s != stop]
        order = planner.best_order(communicator, rest)
        key = (order is None, candidates[stop].designated, planner.route_km(communicator, order or rest))
        if best_key is None or key < best_key:
            best, best_key = stop, key
    return best


def _solve_tours(
    problem: PlanProblem,
    planner: Planner,
    pending: list[int],
    eligible: dict[int, list[int]],
    free_days: dict[int, dict[tuple[int, int], list[datetime.date]]],
    period: dict[tuple[int, int], int],
    allowance: dict[tuple[int, tuple[int, int]], int],
    seconds: float,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[tuple[int, tuple[int, int], list[int]]], int, bool, list[int]]:
    """PyVRP: tours per communicator-month (the vehicle types `allowance` names).

    Returns (communicator, month, stops) tours, cost, feasible, dropped."""
    candidates = problem.candidates
    communicators = problem.communicators
    net = planner.network
    num_homes = net.num_homes
    # Location order for PyVRP: homes, then the pending companies.
    rows = [*range(num_homes), *(net.at(i) for i in pending)]
    km = net.km[np.ix_(rows, rows)]
    minutes = net.minutes[np.ix_(rows, rows)]
    distance = np.rint(km * 1000).astype(np.int64)
    duration = minutes.astype(np.int64)

    locations = [pyvrp.Location(x=0, y=0) for _ in rows]
    depots = [pyvrp.Depot(location=i) for i in range(num_homes)]

    # One profile per communicator who cannot take every pending company; the others share profile 0.
    going_out = {c for c, _month in allowance}
    restricted = {
        c: [k for k, i in enumerate(pending) if c not in eligible[i]]
        for c in sorted(going_out)
        if any(c not in eligible[i] for i in pending)
    }
    distance_matrices, duration_matrices = [distance], [duration]
    profile_of = {}
    for c, blocked in restricted.items():
        d, t = distance.copy(), duration.copy()
        columns = [num_homes + k for k in blocked]
        d[:, columns] = BIG_DISTANCE
        t[:, columns] = BIG_DURATION
        d[columns, columns] = 0
        t[columns, columns] = 0
        profile_of[c] = len(distance_matrices)
        distance_matrices.append(d)
        duration_matrices.append(t)

    clients = []
    for k, index in enumerate(pending):
        candidate = candidates[index]
        months = sorted(
            {
                period[m]
                for c in eligible[index]
                for m, days in free_days[c].items()
                if any(day_allowed(candidate, d) for d in days)
            }
        )
        first, last = months[0], months[-1]
        duration_k = planner.duration(index)
        # The company's hours for the loosest of its communicators (exact check comes after).
        windows = [window_for(candidate, communicators[c], duration_k) for c in eligible[index]]
        early = min(w[0] for w in windows)
        late = max(w[1] for w in windows)
        clients.append(
            pyvrp.Client(
                location=num_homes + k,
                delivery=[1],
                service_duration=duration_k,
                tw_early=first * DAY + early,
                tw_late=last * DAY + late,
                prize=DESIGNATED_PRIZE if candidate.designated else PRIZE,
                required=False,
            )
        )

    vehicle_types = []
    type_key = []
    for c, comm in enumerate(communicators):
        for month in sorted(free_days[c]):
            available = allowance.get((c, month), 0)
            if not available:
                continue
            p = period[month]
            vehicle_types.append(
                pyvrp.VehicleType(
                    num_available=available,
                    capacity=[max(1, comm.max_visits_per_day)],
                    start_depot=c,
                    end_depot=c,
                    tw_early=p * DAY + comm.day_start,
                    tw_late=p * DAY + comm.day_end,
                    shift_duration=comm.day_end - comm.day_start,
                    profile=profile_of.get(c, 0),
                )
            )
            type_key.append((c, month))
    if not vehicle_types:
        return [], 0, False, list(pending)
    data = pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, distance_matrices, duration_matrices, groups=[], shipments=[]
    )
    criteria = [MaxRuntime(max(0.1, seconds))]
    if problem.settings.max_iterations:
        criteria.append(MaxIterations(problem.settings.max_iterations))
    stop = MultipleCriteria(criteria) if len(criteria) > 1 else criteria[0]
    if progress is not None:
        stop = _ReportingStop(stop, seconds, progress)
    result = pyvrp.solve(data, stop=stop, seed=problem.settings.seed, collect_stats=False, display=False)
    solution = result.best
    tours = []
    visited = set()
    for r in solution.routes():
        c, month = type_key[r.vehicle_type()]
        stops = []
        for activity in r.schedule():
            if activity.is_client():
                stops.append(pending[activity.idx])  # a client activity's idx is its index in `clients`
        visited.update(stops)
        if stops:
            tours.append((c, month, stops))
    dropped = [i for i in pending if i not in visited]
    cost = result.cost()  # infinite when PyVRP found no feasible solution (its tours are checked again below)
    return tours, int(cost) if math.isfinite(cost) else -1, bool(solution.is_feasible()), dropped


def _solve_per_communicator(
    problem: PlanProblem,
    planner: Planner,
    pending: list[int],
    owner: dict[int, int],
    free_days: dict[int, dict[tuple[int, int], list[datetime.date]]],
    period: dict[tuple[int, int], int],
    seconds: float,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[tuple[int, tuple[int, int], list[int]]], int, bool, list[int]]:
    """PyVRP once per communicator on the companies assigned to them, the time budget split by their number.

    Each communicator may go out on `balance` × the days their visits need at the daily cap, paced over the
    months. Returns the same as `_solve_tours` (costs summed; feasible when every part is).
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for index in pending:
        groups[owner[index]].append(index)
    deadline = time.perf_counter() + seconds
    tours: list[tuple[int, tuple[int, int], list[int]]] = []
    dropped: list[int] = []
    cost, feasible, done = 0, True, 0
    for communicator, members in sorted(groups.items()):
        share = len(members) / (len(pending) - done)
        budget = max(0.1, (deadline - time.perf_counter()) * share)
        cap = max(1, problem.communicators[communicator].max_visits_per_day)
        days_out = math.ceil(len(members) / cap * max(1.0, problem.settings.balance))
        allowance = _spread_days(communicator, free_days[communicator], days_out)
        part_progress = None
        if progress is not None:
            offset, weight = done / len(pending), len(members) / len(pending)
            part_progress = lambda fraction, offset=offset, weight=weight: progress(offset + weight * fraction)  # noqa: E731
        part, part_cost, part_feasible, part_dropped = _solve_tours(
            problem,
            planner,
            members,
            {index: [communicator] for index in members},
            free_days,
            period,
            allowance,
            budget,
            part_progress,
        )
        tours += part
        dropped += part_dropped
        cost = -1 if cost < 0 or part_cost < 0 else cost + part_cost
        feasible = feasible and part_feasible
        done += len(members)
    return tours, cost, feasible, dropped


class _ReportingStop:
    """Wraps a PyVRP stopping criterion and reports the share of the time budget used, at most once a second."""

    def __init__(self, inner, seconds: float, callback: Callable[[float], None]):
        self.inner = inner
        self.seconds = max(seconds, 1e-6)
        self.callback = callback
        self.started = time.perf_counter()
        self.last = self.started

    def __call__(self, best_cost: float) -> bool:
        now = time.perf_counter()
        if now - self.last >= 1.0:
            self.last = now
            self.callback(min(1.0, (now - self.started) / self.seconds))
        return self.inner(best_cost)


def _assign_days(
    candidates: Sequence[Candidate], tours: list[list[int]], days: list[datetime.date]
) -> tuple[list[tuple[datetime.date, list[int]]], list[list[int]]]:
    """Match tours to the month's free days: every stop's dates and weekdays honoured, tours spread evenly."""
    if not tours:
        return [], []
    if not days:
        return [], tours
    cost = np.zeros((len(tours), len(days)))
    # Restrictive tours first so "ideal" positions interleave; spread = distance from an even spacing.
    order = sorted(range(len(tours)), key=lambda t: sum(1 for d in days if _tour_allows(candidates, tours[t], d)))
    for rank, t in enumerate(order):
        ideal = (rank + 0.5) * len(days) / len(tours)
        for j, day in enumerate(days):
            cost[t, j] = abs(j + 0.5 - ideal) if _tour_allows(candidates, tours[t], day) else UNASSIGNABLE
    if len(tours) > len(days):
        cost = np.hstack([cost, np.full((len(tours), len(tours) - len(days)), UNASSIGNABLE)])
    rows, cols = linear_sum_assignment(cost)
    assigned, unassigned = [], []
    for t, j in zip(rows, cols, strict=True):
        if cost[t, j] >= UNASSIGNABLE:
            unassigned.append(tours[t])
        else:
            assigned.append((days[j], tours[t]))
    return assigned, unassigned


def _tour_allows(candidates: Sequence[Candidate], stops: list[int], day: datetime.date) -> bool:
    return all(day_allowed(candidates[s], day) for s in stops)


def _insert(
    planner: Planner,
    routes: list[DayRoute],
    used_days: set[tuple[int, datetime.date]],
    free_days: dict[int, dict[tuple[int, int], list[datetime.date]]],
    communicators_ok: list[int],
    index: int,
    load: Counter | None = None,
) -> bool:
    """Put one company at the cheapest feasible place: into an existing day (one with locked visits too, around
    their fixed times), else on a free day. `load` (visits per communicator) is kept up to date."""
    candidate = planner.problem.candidates[index]
    comms = planner.problem.communicators
    best = None  # (added km, kind, route or (communicator, day), order)
    for r in routes:
        if r.closed or r.communicator not in communicators_ok or not day_allowed(candidate, r.day):
            continue
        if len(r.stops) >= comms[r.communicator].max_visits_per_day:
            continue
        before = planner.route_km(r.communicator, r.stops)
        order = planner.best_order(r.communicator, [*r.stops, index], r.fixed)
        if order is None:
            continue
        added = planner.route_km(r.communicator, order) - before
        if best is None or added < best[0]:
            best = (added, "existing", r, order)
    for c in communicators_ok:
        if not planner.fits_alone(c, index):
            continue
        alone = planner.route_km(c, [index])
        if best is not None and alone >= best[0]:
            continue
        days = [d for ds in free_days[c].values() for d in ds if (c, d) not in used_days and day_allowed(candidate, d)]
        if days:
            best = (alone, "new", (c, _quietest_day(days, used_days, c)), [index])
    if best is None:
        return False
    _added, kind, target, order = best
    if kind == "existing":
        target.stops = order
        communicator = target.communicator
    else:
        communicator, day = target
        routes.append(DayRoute(communicator, day, order))
        used_days.add((communicator, day))
    if load is not None:
        load[communicator] += 1
    return True


def _fill_locked_days(planner: Planner, routes: list[DayRoute], used_days: set) -> int:
    """Move the communicator's own visits onto their open locked days while that saves travel; returns the moves.

    A day with a fixed visit in Sakata should also take the Sakata visits planned for another day: the day
    trip is made anyway. Only the same communicator's visits move, so the workload stays as it is.
    """
    candidates = planner.problem.candidates
    comms = planner.problem.communicators
    net = planner.network
    moves = 0
    for target in routes:
        if not target.locked or target.closed:
            continue
        cap = comms[target.communicator].max_visits_per_day
        while len(target.stops) < cap:
            anchors = [net.at(s) for s in target.stops]
            options = [
                (min(net.km[net.at(stop), a] for a in anchors), stop, source)
                for source in routes
                if source.communicator == target.communicator and not source.locked
                for stop in source.stops
                if day_allowed(candidates[stop], target.day)
            ]
            options.sort(key=lambda o: (o[0], o[1]))
            best = None  # (saving, stop, source, target order, source order)
            before_target = planner.route_km(target.communicator, target.stops)
            for _km, stop, source in options[:FILL_NEIGHBOURS]:
                order = planner.best_order(target.communicator, [*target.stops, stop], target.fixed)
                if order is None:
                    continue
                rest = [s for s in source.stops if s != stop]
                rest_order = planner.best_order(source.communicator, rest)
                if rest_order is None:
                    continue
                saving = (
                    planner.route_km(source.communicator, source.stops)
                    - planner.route_km(source.communicator, rest_order)
                    - (planner.route_km(target.communicator, order) - before_target)
                )
                if saving > 1e-6 and (best is None or saving > best[0]):
                    best = (saving, stop, source, order, rest_order)
            if best is None:
                break
            _saving, _stop, source, order, rest_order = best
            target.stops = order
            source.stops = rest_order
            if not rest_order:
                used_days.discard((source.communicator, source.day))
            moves += 1
    return moves


def _quietest_day(days: list[datetime.date], used_days: set, communicator: int) -> datetime.date:
    """The free day farthest from the communicator's other visit days (keeps the year evenly paced)."""
    busy = sorted(d for c, d in used_days if c == communicator)
    if not busy:
        return days[len(days) // 2]

    def gap(day: datetime.date) -> int:
        return min(abs((day - b).days) for b in busy)

    return max(days, key=lambda d: (gap(d), -d.toordinal()))


def _visits(planner: Planner, routes: list[DayRoute]) -> list[ScheduledVisit]:
    problem = planner.problem
    candidates = problem.candidates
    net = planner.network
    out = []
    for r in routes:
        comm = problem.communicators[r.communicator]
        if r.locked and (not r.fixed or len(r.fixed) == len(r.stops)):  # only locked visits: as they are
            previous = net.home(r.communicator)
            for order, stop in enumerate(r.stops, start=1):
                lock = candidates[stop].locked
                minutes, km = net.leg(previous, net.at(stop))
                out.append(
                    ScheduledVisit(
                        company_id=candidates[stop].company_id,
                        communicator_id=lock.communicator_id,
                        day=lock.day,
                        order=order,
                        start=lock.start,
                        end=lock.start + planner.duration(stop),
                        travel_minutes=minutes,
                        travel_km=round(km, 3),
                        locked=True,
                    )
                )
                previous = net.at(stop)
            continue
        timetable = planner.schedule(r.communicator, r.stops, r.fixed)
        if timetable is None:  # cannot happen: every route was checked when built
            raise AssertionError("an unchecked route reached the timetable")
        for order, (stop, (start, end, minutes, km)) in enumerate(zip(r.stops, timetable, strict=True), start=1):
            out.append(
                ScheduledVisit(
                    company_id=candidates[stop].company_id,
                    communicator_id=comm.communicator_id,
                    day=r.day,
                    order=order,
                    start=start,
                    end=end,
                    travel_minutes=minutes,
                    travel_km=round(km, 3),
                    locked=stop in r.fixed,
                )
            )
    return out
