"""A small deterministic stand-in for the engine, to test the app's plumbing without the solver's run time.

It keeps the contract's promises in the simplest way: every designated and locked company in, the target
reached (never-heard first), locked visits unchanged, online-only as alternatives, visits spread over the
communicators' working days from `plan_from` with the daily cap and the company's date limits respected.
"""

from kakehashi.planning.engine import types as t
from kakehashi.planning.engine.balance import workload


def fake_solve(problem: t.PlanProblem, *, travel=None, progress=None) -> t.PlanResult:
    settings = problem.settings
    forced = [c for c in problem.candidates if c.designated or c.locked]
    rest = sorted((c for c in problem.candidates if c not in forced), key=lambda c: (c.heard_before, c.company_id))
    chosen = forced + rest[: max(settings.target - len(forced), 0)]
    visits, alternatives = [], []
    load: dict[tuple[int, object], int] = {}
    for c in chosen:
        if c.locked:
            visits.append(
                t.ScheduledVisit(
                    c.company_id,
                    c.locked.communicator_id,
                    c.locked.day,
                    1,
                    c.locked.start,
                    c.locked.start + settings.visit_minutes,
                    0,
                    0.0,
                    locked=True,
                )
            )
            load[(c.locked.communicator_id, c.locked.day)] = load.get((c.locked.communicator_id, c.locked.day), 0) + 1
    for c in chosen:
        if c.locked:
            continue
        if c.online_only:
            alternatives.append(t.Alternative(c.company_id, "online", "オンラインのみ希望"))
            continue
        placed = False
        slots = sorted(
            ((day, comm) for comm in problem.communicators for day in comm.working_days),
            key=lambda pair: (pair[0], pair[1].communicator_id),
        )
        for day, comm in slots:
            if settings.plan_from and day < settings.plan_from:
                continue
            if (c.not_before and day < c.not_before) or (c.not_after and day > c.not_after):
                continue
            if c.preferred_weekdays and day.weekday() not in c.preferred_weekdays:
                continue
            n = load.get((comm.communicator_id, day), 0)
            if n >= comm.max_visits_per_day:
                continue
            load[(comm.communicator_id, day)] = n + 1
            start = comm.day_start + 60 * n
            visits.append(
                t.ScheduledVisit(
                    c.company_id, comm.communicator_id, day, n + 1, start, start + settings.visit_minutes, 15, 10.0
                )
            )
            placed = True
            break
        if not placed:
            alternatives.append(t.Alternative(c.company_id, "seminar", "担当者の稼働日に収まらない"))
    if progress:
        progress(1.0, "done")
    report = t.QualityReport(
        target=settings.target,
        selected=len(chosen),
        designated_total=sum(1 for c in problem.candidates if c.designated),
        designated_selected=sum(1 for c in chosen if c.designated),
        quota_deviation={},
        max_quota_deviation=0,
        travel_km=10.0 * len(visits),
        travel_hours=0.25 * len(visits),
        per_communicator={},
        visits_per_day_max=max(load.values(), default=0),
        alternatives={a.reason: 1 for a in alternatives},
        solve_seconds=0.01,
        baseline={
            "travel_km": 20.0 * len(visits),
            "travel_hours": 0.5 * len(visits),
            "max_quota_deviation": 2,
            "workload_spread": 0.4,
        },
    )
    report.workload, report.workload_spread = workload(problem.communicators, visits)
    return t.PlanResult(tuple(c.company_id for c in chosen), tuple(visits), tuple(alternatives), report)
