#!/usr/bin/env python
"""Run every benchmark (bench/bench_*.py) in turn, each in its own process, and summarise.

Arguments after the script's own are passed through to every benchmark unchanged (`make bench
BENCH_ARGS="…"`); a benchmark given a flag it does not know may stop, so use `--only` with flags meant for
one of them. Environment (DATABASE_URL for PostgreSQL) is inherited.

    .venv/bin/python bench/run_all.py                              # everything, default sizes
    .venv/bin/python bench/run_all.py --only dashboard --visits 20000
    .venv/bin/python bench/run_all.py --list
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    return sorted(HERE.glob("bench_*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated names, e.g. dashboard,matching (bench_ prefix optional)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args, passthrough = parser.parse_known_args()
    scripts = benchmarks()
    if args.only:
        wanted = {name.strip().removeprefix("bench_").removesuffix(".py") for name in args.only.split(",")}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
        missing = wanted - {s.stem.removeprefix("bench_") for s in scripts}
        if missing:
            print(f"no such benchmark: {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
    if args.list:
        for script in scripts:
            print(script.stem)
        return 0

    summary = []
    for script in scripts:
        print(f"\n=== {script.name} {' '.join(passthrough)}".rstrip(), flush=True)
        started = time.perf_counter()
        completed = subprocess.run([sys.executable, str(script), *passthrough], check=False)
        summary.append((script.stem, completed.returncode, time.perf_counter() - started))

    print("\n=== summary")
    for name, code, seconds in summary:
        print(f"{name:<24} {'ok' if code == 0 else f'exit {code}':<8} {seconds:>7.1f} s")
    return 0 if all(code == 0 for _name, code, _s in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
