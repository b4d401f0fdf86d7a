"""Builders for small planning problems and a checker of every hard rule a plan must keep.

Used by the tests and the benchmark; `plan_violations()` is the single definition of "a valid plan".
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from .routing import window_for
from .selection import covering_communicators
from .travel import StraightLineTravel
from .types import Candidate, Communicator, PlanProblem, PlanResult, PlanSettings, Point

YAMAGATA = Point(38.2556, 140.3397)
TSURUOKA = Point(38.7272, 139.8267)


def offset(point: Point, north_km: float = 0.0, east_km: float = 0.0) -> Point:
    return Point(round(point.lat + north_km / 111.0, 6), round(point.lng + east_km / 87.5, 6))


def weekdays(start: datetime.date, count: int, *, skip: Iterable[datetime.date] = ()) -> tuple[datetime.date, ...]:
    skipped = set(skip)
    out, day = [], start
    while len(out) < count:
        if day.weekday() < 5 and day not in skipped:
            out.append(day)
        day += datetime.timedelta(days=1)
    return tuple(out)


def candidate(company_id: int, point: Point, stratum: str = "a", **extra) -> Candidate:
    return Candidate(company_id=company_id, point=point, strata={"s": stratum}, **extra)


def communicator(communicator_id: int, home: Point, days: tuple[datetime.date, ...], **extra) -> Communicator:
    return Communicator(communicator_id=communicator_id, home=home, working_days=days, **extra)


def problem(candidates, communicators, *, target: int, quotas=None, **settings) -> PlanProblem:
    settings.setdefault("seconds", 1.0)
    settings.setdefault("max_iterations", 400)
    return PlanProblem(
        candidates=tuple(candidates),
        communicators=tuple(communicators),
        settings=PlanSettings(target=target, quotas=quotas or {}, **settings),
    )


def plan_violations(problem: PlanProblem, result: PlanResult) -> list[str]:
    """Every broken hard rule, in words; empty for a valid plan."""
    out = []
    settings = problem.settings
    travel = StraightLineTravel(settings.detour_factor, settings.speed_kmh)
    by_id = {c.company_id: c for c in problem.candidates}
    comms = {c.communicator_id: c for c in problem.communicators}
    selected = set(result.selected)
    visited = [v.company_id for v in result.visits]
    alternative_ids = [a.company_id for a in result.alternatives]
    for company_id, count in Counter(visited + alternative_ids).items():
        if count > 1:
            out.append(f"{company_id} is planned {count} times")
    if set(visited) | set(alternative_ids) != selected:
        out.append("visits and alternatives do not cover exactly the selected companies")
    for c in problem.candidates:
        if (c.designated or c.locked) and c.company_id not in selected:
            out.append(f"designated or locked {c.company_id} not selected")
    if len(selected) < min(settings.target, len(problem.candidates)):
        out.append("target not reached")
    days: dict[tuple[int, datetime.date], list] = {}
    for v in result.visits:
        days.setdefault((v.communicator_id, v.day), []).append(v)
    for (communicator_id, day), visits in days.items():
        comm = comms[communicator_id]
        visits.sort(key=lambda v: v.order)
        if [v.order for v in visits] != list(range(1, len(visits) + 1)):
            out.append(f"{communicator_id} {day}: orders are not 1..n")
        if day not in comm.working_days:
            out.append(f"{communicator_id} {day}: not a working day")
        if len(visits) > comm.max_visits_per_day:
            out.append(f"{communicator_id} {day}: {len(visits)} visits over the cap")
        points = [comm.home] + [by_id[v.company_id].point for v in visits]
        minutes, _km = travel.matrix(points)
        clock = comm.day_start
        previous_locked = False
        for k, v in enumerate(visits, start=1):
            c = by_id[v.company_id]
            if v.locked:
                lock = c.locked
                if (lock.communicator_id, lock.day, lock.start) != (v.communicator_id, v.day, v.start):
                    out.append(f"{c.company_id}: locked visit moved")
                if k > 1 and not previous_locked and v.start < clock + minutes[k - 1][k]:
                    out.append(f"{c.company_id}: a new visit before it leaves no time to reach this locked visit")
                clock = v.end
                previous_locked = True
                continue
            previous_locked = False
            if c.locked:
                out.append(f"{c.company_id}: locked visit not marked locked")
            if c.online_only:
                out.append(f"{c.company_id}: online-only company visited")
            if comms[communicator_id] not in [
                problem.communicators[i] for i in covering_communicators(c, problem.communicators)
            ]:
                out.append(f"{c.company_id}: communicator {communicator_id} does not cover its region")
            if (c.not_before and day < c.not_before) or (c.not_after and day > c.not_after):
                out.append(f"{c.company_id}: {day} outside its dates")
            if c.preferred_weekdays and day.weekday() not in c.preferred_weekdays:
                out.append(f"{c.company_id}: {day} not on a preferred weekday")
            duration = c.duration or settings.visit_minutes
            early, late = window_for(c, comm, duration)
            if v.start < max(early, clock + minutes[k - 1][k]) or v.start > late:
                out.append(f"{c.company_id}: starts at {v.start} outside {early}–{late} or before arriving")
            if v.end - v.start != duration:
                out.append(f"{c.company_id}: lasts {v.end - v.start} instead of {duration}")
            clock = v.end
        if not visits[-1].locked and clock + minutes[len(visits)][0] > comm.day_end:
            out.append(f"{communicator_id} {day}: home after day_end")
    return out
