"""Scheduling and routing the chosen visits with PyVRP, then dating the routes.

Modelling (chosen so PyVRP solves it well at ~420 visits × ~1,300 communicator-days):

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

Locked visits (done or fixed) are kept exactly; their communicator-days take no new visits.
"""

import datetime
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyvrp
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria
from scipy.optimize import linear_sum_assignment

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


@dataclass
class DayRoute:
    communicator: int  # index into problem.communicators
    day: datetime.date
    stops: list[int]  # indexes into problem.candidates, in visiting order
    locked: bool = False


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

    def schedule(self, communicator: int, stops: Sequence[int]) -> list[tuple[int, int, int, float]] | None:
        """(start, end, travel minutes, travel km) per stop, or None when the day does not fit.

        The communicator leaves home at day_start (later if the first company's window opens later), waits
        when early, must start every visit by the company's latest start, and be home by day_end.
        """
        comm = self.problem.communicators[communicator]
        net = self.network
        home = net.home(communicator)
        out = []
        previous = home
        clock = comm.day_start
        for position, stop in enumerate(stops):
            duration = self.duration(stop)
            early, late = window_for(self.problem.candidates[stop], comm, duration)
            minutes, km = net.leg(previous, net.at(stop))
            arrival = clock + minutes
            if position == 0:
                arrival = max(arrival, early)  # leave later rather than wait outside
            start = max(arrival, early)
            if start > late:
                return None
            end = start + duration
            out.append((start, end, minutes, km))
            clock = end
            previous = net.at(stop)
        if stops and clock + net.leg(previous, home)[0] > comm.day_end:
            return None
        return out

    def route_km(self, communicator: int, stops: Sequence[int]) -> float:
        net = self.network
        nodes = [net.home(communicator), *(net.at(s) for s in stops), net.home(communicator)]
        return float(sum(net.km[a, b] for a, b in itertools.pairwise(nodes)))

    def best_order(self, communicator: int, stops: Sequence[int]) -> list[int] | None:
        """The feasible order of these stops with the least km (exhaustive for small tours)."""
        if not stops:
            return []
        if self.schedule(communicator, stops) is not None and len(stops) > MAX_PERMUTED_STOPS:
            return list(stops)
        best, best_km = None, math.inf
        orders = itertools.permutations(stops) if len(stops) <= MAX_PERMUTED_STOPS else [tuple(stops)]
        for order in orders:
            km = self.route_km(communicator, order)
            if km < best_km - 1e-9 and self.schedule(communicator, order) is not None:
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
        months = free_days[index]
        total = sum(len(days) for days in months.values())
        if not total:
            continue
        for month, days in months.items():
            share = per_communicator * len(days) / total
            allowance[index, month] = min(len(days), math.ceil(share) + 1)
    return allowance


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
    if pending and all_months:
        budget = seconds if seconds is not None else settings.seconds
        budget = max(0.2, budget - (time.perf_counter() - started))
        tours, pyvrp_cost, pyvrp_feasible, dropped = _solve_tours(
            problem, planner, pending, eligible, free_days, period, budget, progress
        )
        pool.extend(dropped)
        # 4. Exact times for each tour; stops that do not fit go to the pool.
        by_month: dict[tuple[int, tuple[int, int]], list[list[int]]] = defaultdict(list)
        for communicator, month, stops in tours:
            pool.extend(s for s in stops if communicator not in eligible[s])
            stops = [s for s in stops if communicator in eligible[s]]
            order = planner.best_order(communicator, stops)
            while stops and order is None:
                worst = _least_fitting(planner, communicator, stops)
                stops.remove(worst)
                pool.append(worst)
                order = planner.best_order(communicator, stops)
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

    # 6. Repair: cheapest feasible insertion, designated first; the rest become alternatives.
    used_days = {(r.communicator, r.day) for r in routes}
    pool = sorted(set(pool), key=lambda i: (not candidates[i].designated, candidates[i].company_id))
    for index in pool:
        if not _insert(planner, routes, used_days, free_days, eligible[index], index):
            alternatives.append(Alternative(candidates[index].company_id, "seminar", REASON_NO_CAPACITY))

    for (communicator, day), stops in locked_routes.items():
        ordered = sorted(stops, key=lambda i: (candidates[i].locked.start, candidates[i].company_id))
        routes.append(DayRoute(communicator, day, ordered, locked=True))
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
    seconds: float,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[tuple[int, tuple[int, int], list[int]]], int, bool, list[int]]:
    """PyVRP: tours per communicator-month. Returns (communicator, month, stops) tours, cost, feasible, dropped."""
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
    restricted = {
        c: [k for k, i in enumerate(pending) if c not in eligible[i]]
        for c in range(len(communicators))
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

    allowance = _day_allowance(problem, free_days, len(pending))
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
    cost = result.cost()  # PyVRP reports an infeasible best solution's cost as infinity
    return tours, int(cost) if math.isfinite(cost) else None, bool(solution.is_feasible()), dropped


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
) -> bool:
    """Put one company at the cheapest feasible place: into an existing day, else on a free day."""
    candidate = planner.problem.candidates[index]
    comms = planner.problem.communicators
    best = None  # (added km, kind, route or (communicator, day), order)
    for r in routes:
        if r.locked or r.communicator not in communicators_ok or not day_allowed(candidate, r.day):
            continue
        if len(r.stops) >= comms[r.communicator].max_visits_per_day:
            continue
        before = planner.route_km(r.communicator, r.stops)
        order = planner.best_order(r.communicator, [*r.stops, index])
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
    else:
        communicator, day = target
        routes.append(DayRoute(communicator, day, order))
        used_days.add((communicator, day))
    return True


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
        if r.locked:
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
        timetable = planner.schedule(r.communicator, r.stops)
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
                )
            )
    return out
