"""The planner in one call: selection → scheduling and routing → quality report (and the naive baseline)."""

import time
from collections.abc import Callable

from .baseline import naive_plan
from .report import baseline_summary, build_report
from .routing import route
from .selection import select
from .travel import StraightLineTravel, TravelModel
from .types import PlanProblem, PlanResult

Progress = Callable[[float, str], None]

SELECTION_SHARE = 0.3  # of the time budget, at most; HiGHS needs 1–6 s on 3,000 candidates (more on a busy machine)
FINISH_MARGIN = 0.05  # of the time budget kept for timing, dating and repair after PyVRP


def _noop(_fraction: float, _message: str) -> None:
    return None


def solve(problem: PlanProblem, *, travel: TravelModel | None = None, progress: Progress | None = None) -> PlanResult:
    """Plan the year: which companies, who visits them on which day in which order, and how good that is."""
    started = time.perf_counter()
    report_progress = progress or _noop
    settings = problem.settings
    travel = travel or StraightLineTravel(settings.detour_factor, settings.speed_kmh)

    report_progress(0.0, "訪問先を選定しています")
    selection = select(problem, travel, time_limit=max(1.0, settings.seconds * SELECTION_SHARE))
    report_progress(0.15, "訪問日と経路を最適化しています")
    remaining = settings.seconds - (time.perf_counter() - started)
    budget = max(0.5, remaining * (1 - FINISH_MARGIN) - 0.5)
    routing = route(
        problem,
        selection.selected,
        travel,
        seconds=budget,
        progress=lambda share: report_progress(0.15 + 0.75 * share, "訪問日と経路を最適化しています"),
    )
    report_progress(0.95, "計画の品質を集計しています")
    report = build_report(
        problem,
        selection.selected,
        routing.visits,
        routing.alternatives,
        travel,
        solve_seconds=time.perf_counter() - started,
    )
    report_progress(1.0, "計画ができました")
    return PlanResult(
        selected=selection.selected, visits=routing.visits, alternatives=routing.alternatives, report=report
    )


def solve_with_baseline(
    problem: PlanProblem, *, travel: TravelModel | None = None, progress: Progress | None = None
) -> PlanResult:
    """`solve()`, with the naive plan (nearest-neighbour routes, round-robin assignment) in `report.baseline`."""
    travel = travel or StraightLineTravel(problem.settings.detour_factor, problem.settings.speed_kmh)
    result = solve(problem, travel=travel, progress=progress)
    naive = naive_plan(problem, travel)
    result.report.baseline = baseline_summary(naive.report)
    return result
