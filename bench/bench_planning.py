#!/usr/bin/env python
"""Visit planner on a synthetic Yamagata year: solve time, designated coverage, quota balance and travel.

35 municipalities (city-hall coordinates from `japancode`, the four 総合支庁 regions), 3,000 candidate
companies scattered around them, 80 designated, target 420, 6 communicators with different bases, April to
February without weekends, holidays and the year-end closure; some companies have visiting hours, date
ranges, weekday wishes, longer visits or want online only (`kakehashi.planning.engine.synthetic`). Prints our
plan (`solve()` with a `--seconds` budget), the naive baseline measured in the same run (random proportional
fill, round-robin assignment, nearest-neighbour routes) and a long run of our own planner (`--long-seconds`).
Targets: solved in ≤ 60 s, all designated in, quota deviation ≤ 1 per stratum, travel ≥ 25 % below the naive
baseline and within 2 % of the long run, every communicator's visits within ± `balance_tolerance` (15 %) of
their share by working days × daily cap (the workload column: the largest deviation, fewest–most visits).
No database.

    .venv/bin/python bench/bench_planning.py                       # ours 45 s, long run 600 s
    .venv/bin/python bench/bench_planning.py --skip-long
    .venv/bin/python bench/bench_planning.py --seconds 30 --long-seconds 180 --candidates 1500
"""

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=45.0, help="our planner's time budget (default 45)")
    parser.add_argument("--long-seconds", type=float, default=600.0, help="the long run's budget (default 600)")
    parser.add_argument("--skip-long", action="store_true", help="leave out the long run")
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--designated", type=int, default=80)
    parser.add_argument("--target", type=int, default=420)
    parser.add_argument("--communicators", type=int, default=6)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.15,
        help="workload balance tolerance (default 0.15); a negative value turns balancing off",
    )
    return parser.parse_args()


def _row(label: str, report, seconds: float) -> str:
    visits = int(sum(row["visits"] for row in report.per_communicator.values()))
    alternatives = sum(report.alternatives.values())
    return (
        f"{label:<10} {seconds:>8.1f} s  designated {report.designated_selected:>3}/{report.designated_total:<3}"
        f"  selected {report.selected:>4}  visits {visits:>4}  alternatives {alternatives:>3}"
        f"  max quota dev {report.max_quota_deviation:>2}"
        f"  travel {report.travel_km:>8.1f} km {report.travel_hours:>6.1f} h"
        f"  workload {_spread(report)}"
    )


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def _spread(report) -> str:
    """Largest deviation from the expected share, and the fewest–most visits of a communicator."""
    counts = [int(row["visits"]) for row in (report.workload or {}).values()]
    if not counts:
        return "-"
    return f"±{report.workload_spread * 100:>4.1f} % ({min(counts)}–{max(counts)} visits)"


def main() -> int:
    args = _arguments()
    from kakehashi.planning.engine.baseline import naive_plan
    from kakehashi.planning.engine.solve import solve
    from kakehashi.planning.engine.synthetic import yamagata_instance
    from kakehashi.planning.engine.testing import plan_violations

    load_at_start = _load()
    built = time.perf_counter()
    problem = yamagata_instance(
        candidates=args.candidates,
        designated=args.designated,
        target=args.target,
        communicators=args.communicators,
        seed=args.seed,
        seconds=args.seconds,
    )
    tolerance = args.tolerance if args.tolerance >= 0 else None
    problem = dataclasses.replace(problem, settings=dataclasses.replace(problem.settings, balance_tolerance=tolerance))
    days = len(problem.communicators[0].working_days)
    print(
        f"instance: {len(problem.candidates)} candidates, {args.designated} designated, target {args.target}, "
        f"{len(problem.communicators)} communicators, ~{days} working days each "
        f"(built in {time.perf_counter() - built:.1f} s)"
    )

    started = time.perf_counter()
    ours = solve(problem)
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    naive = naive_plan(problem)
    naive_seconds = time.perf_counter() - started

    print(_row("ours", ours.report, ours_seconds))
    print(_row("naive", naive.report, naive_seconds))
    long = None
    if not args.skip_long:
        long_problem = dataclasses.replace(
            problem, settings=dataclasses.replace(problem.settings, seconds=args.long_seconds)
        )
        started = time.perf_counter()
        long = solve(long_problem)
        print(_row("long", long.report, time.perf_counter() - started))

    report = ours.report
    print(f"alternatives (ours): {report.alternatives or '-'}")
    print(
        "per communicator (ours): "
        + ", ".join(
            f"#{cid} {int(row['visits'])} visits (expected {report.workload[cid]['expected']:.0f})"
            f"/{int(row['days'])} days/{row['km']:.0f} km"
            for cid, row in report.per_communicator.items()
        )
    )
    if long is not None:
        print(
            "per communicator (long): "
            + ", ".join(f"#{cid} {int(row['visits'])}" for cid, row in long.report.per_communicator.items())
        )
    print(f"machine load at the end: {_load()} (at the start: {load_at_start})")
    ratio_naive = report.travel_km / naive.report.travel_km if naive.report.travel_km else float("nan")
    print(f"travel ours/naive: {ratio_naive:.3f} ({(1 - ratio_naive) * 100:.1f} % less; target ≥ 25 %)")
    broken = plan_violations(problem, ours) + plan_violations(problem, naive)
    print(f"hard-rule violations (ours + naive): {len(broken)}" + (f", e.g. {broken[:3]}" if broken else ""))
    checks = {
        "every hard rule kept": not broken,
        "solved in ≤ 60 s": ours_seconds <= 60,
        "all designated in": report.designated_selected == report.designated_total,
        "quota deviation ≤ 1": report.max_quota_deviation <= 1,
        "travel ≥ 25 % below naive": ratio_naive <= 0.75,
    }
    if tolerance is not None:
        # Rounding the band outwards to whole visits adds up to one visit over the tolerance.
        slack = max(1.0 / row["expected"] for row in report.workload.values() if row["expected"] > 0)
        checks[f"workload within ±{tolerance * 100:.0f} % of each share"] = report.workload_spread <= tolerance + slack
    if long is not None:
        ratio_long = report.travel_km / long.report.travel_km if long.report.travel_km else float("nan")
        print(f"travel ours/long: {ratio_long:.3f} (target ≤ 1.02)")
        checks["within 2 % of the long run"] = ratio_long <= 1.02
    for label, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
