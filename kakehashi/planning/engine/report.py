"""The plan's quality report: coverage, quota balance, travel (including the drive home), workload and its spread
over the communicators, alternatives."""

from collections import Counter, defaultdict
from collections.abc import Sequence

from .balance import workload
from .selection import quota_deviation
from .travel import StraightLineTravel, TravelModel
from .types import Alternative, PlanProblem, Point, QualityReport, ScheduledVisit


def return_legs(
    problem: PlanProblem, visits: Sequence[ScheduledVisit], travel: TravelModel
) -> dict[tuple[int, object], tuple[int, float]]:
    """(communicator id, day) → (minutes, km) of the drive from the day's last company back home."""
    homes = {c.communicator_id: c.home for c in problem.communicators}
    points_by_id = {c.company_id: c.point for c in problem.candidates}
    last: dict[tuple[int, object], ScheduledVisit] = {}
    for visit in visits:
        key = (visit.communicator_id, visit.day)
        if key not in last or visit.order > last[key].order:
            last[key] = visit
    pairs = [(homes[k[0]], points_by_id[v.company_id]) for k, v in last.items() if k[0] in homes]
    if not pairs:
        return {}
    points: list[Point] = []
    index: dict[Point, int] = {}
    for home, point in pairs:
        for p in (home, point):
            if p not in index:
                index[p] = len(points)
                points.append(p)
    if isinstance(travel, StraightLineTravel):
        minutes_arr, km_arr = travel.arrays(points)
        minutes, km = minutes_arr.tolist(), km_arr.tolist()
    else:
        minutes, km = travel.matrix(points)
    out = {}
    for key, visit in last.items():
        if key[0] not in homes:
            continue
        a, b = index[points_by_id[visit.company_id]], index[homes[key[0]]]
        out[key] = (int(minutes[a][b]), float(km[a][b]))
    return out


def build_report(
    problem: PlanProblem,
    selected: Sequence[int],
    visits: Sequence[ScheduledVisit],
    alternatives: Sequence[Alternative],
    travel: TravelModel,
    *,
    solve_seconds: float,
) -> QualityReport:
    settings = problem.settings
    designated = {c.company_id for c in problem.candidates if c.designated}
    chosen = set(selected)
    deviation, worst = quota_deviation(selected, problem.candidates, settings.quotas)
    legs = return_legs(problem, visits, travel)

    per_comm: dict[int, dict[str, float]] = {
        c.communicator_id: {"visits": 0, "days": 0, "km": 0.0, "hours": 0.0} for c in problem.communicators
    }
    per_day: Counter = Counter()
    minutes_by_comm: dict[int, int] = defaultdict(int)
    for visit in visits:
        row = per_comm.setdefault(visit.communicator_id, {"visits": 0, "days": 0, "km": 0.0, "hours": 0.0})
        row["visits"] += 1
        row["km"] += visit.travel_km
        minutes_by_comm[visit.communicator_id] += visit.travel_minutes
        per_day[visit.communicator_id, visit.day] += 1
    for (communicator_id, _day), (minutes, km) in legs.items():
        per_comm[communicator_id]["km"] += km
        minutes_by_comm[communicator_id] += minutes
    for (communicator_id, _day), _count in per_day.items():
        per_comm[communicator_id]["days"] += 1
    for communicator_id, row in per_comm.items():
        row["km"] = round(row["km"], 1)
        row["hours"] = round(minutes_by_comm[communicator_id] / 60.0, 1)

    load, spread = workload(problem.communicators, visits)
    total_km = sum(row["km"] for row in per_comm.values())
    total_minutes = sum(minutes_by_comm.values())
    return QualityReport(
        target=settings.target,
        selected=len(chosen),
        designated_total=len(designated),
        designated_selected=len(designated & chosen),
        quota_deviation=deviation,
        max_quota_deviation=worst,
        travel_km=round(total_km, 1),
        travel_hours=round(total_minutes / 60.0, 1),
        per_communicator=per_comm,
        visits_per_day_max=max(per_day.values(), default=0),
        alternatives=dict(sorted(Counter(a.reason for a in alternatives).items())),
        solve_seconds=round(solve_seconds, 2),
        workload=load,
        workload_spread=spread,
    )


def baseline_summary(report: QualityReport) -> dict[str, float]:
    """The figures of a plan that `QualityReport.baseline` carries for comparison."""
    return {
        "travel_km": report.travel_km,
        "travel_hours": report.travel_hours,
        "max_quota_deviation": float(report.max_quota_deviation),
        "designated_selected": float(report.designated_selected),
        "visits": float(sum(row["visits"] for row in report.per_communicator.values())),
        "alternatives": float(sum(report.alternatives.values())),
        "solve_seconds": report.solve_seconds,
        "workload_spread": report.workload_spread if report.workload_spread is not None else 0.0,
    }
