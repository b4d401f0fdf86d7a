#!/usr/bin/env python
"""Progress dashboard and visit list under load, against a trivial template page measured in the same run.

Builds a throwaway database with N companies (default 50,000) and M visit reports (default 100,000) by bulk
inserts — a SQLite file under var/bench/ (reused by later runs unless --rebuild), or, when DATABASE_URL is set,
a fresh PostgreSQL database `<name>_bench_dashboard` on that server — then serves it with gunicorn (2 sync
workers on a free 127.0.0.1 port) and loads it from this process (a second process) with 16 keep-alive
connections (threads + http.client) for 10 s per page, after a 3 s warm-up. Requests carry the session cookie
of a programme manager made with Django's session machinery.

Pages: the trivial page (`insights:bench_trivial`: the site's layout, no data), the dashboard
(`insights:dashboard`), the visit list (`outreach:visit_list`, when that URL exists) and the visit list under 160
different queries in turn ("list, varied": mostly its uncached path, see `_varied_queries`). Prints p50/p95
latency and requests/s of each, and each page's requests/s as a ratio of the trivial page's.
Targets: p95 ≤ 150 ms and ≥ 0.3 × the trivial page's requests/s.

The dashboard keeps its computed figures for 60 s per worker (stated on the page; a submitted report changes
the key at once), so the load measures the cached path; the uncached computation on the same data is timed
in-process and printed too.

    .venv/bin/python bench/bench_dashboard.py                          # SQLite, 50,000 / 100,000
    .venv/bin/python bench/bench_dashboard.py --companies 5000 --visits 10000 --duration 5
    DATABASE_URL="$(bin/pg-dev start)" .venv/bin/python bench/bench_dashboard.py   # PostgreSQL
"""

import argparse
import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DIR = BASE_DIR / "var" / "bench"
P95_TARGET_MS = 150
RATIO_TARGET = 0.3
BATCH = 5000


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=50_000)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load per page first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per page")
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--rebuild", action="store_true", help="SQLite: build the database again")
    # run_all.py passes the same arguments to every benchmark: ignore the ones meant for others.
    args, _unknown = parser.parse_known_args()
    return args


# --- the database -----------------------------------------------------------------------------------------


def _database_url(args) -> tuple[str, bool]:
    """(URL of the throwaway database, whether it must be built)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return _fresh_postgres_database(url), True
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"dashboard-{args.companies}-{args.visits}-{args.seed}.sqlite3"
    done = path.with_suffix(".done")
    if args.rebuild or not done.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        done.unlink(missing_ok=True)
        return f"sqlite:///{path}", True
    return f"sqlite:///{path}", False


def _fresh_postgres_database(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_dashboard"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _build(args) -> dict:
    """Reference data, a programme with its people, companies, designations and visits, all bulk-inserted."""
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        _generate(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"build_seconds": round(time.perf_counter() - started, 1)}


def _generate(args) -> None:
    from django.db import connection
    from django.utils import timezone

    from kakehashi.accounts.models import User, UserRole
    from kakehashi.companies.models import Company
    from kakehashi.core.japanese_dates import fiscal_year_of
    from kakehashi.outreach.models import DesignatedCompany, Programme, ProgrammeMembership, Visit
    from kakehashi.outreach.search import build_search_text
    from kakehashi.reference.models import CodeItem, Industry, Municipality, Prefecture

    rng = random.Random(args.seed)
    today = timezone.localdate()
    year = fiscal_year_of(today)
    start, end = Programme.fiscal_year_period(year)
    yamagata = Prefecture.objects.get(code="06")
    programme = Programme.objects.create(
        code=f"bench-dx-{year}",
        name="ベンチマーク用 DXコミュニケート事業",
        prefecture=yamagata,
        fiscal_year=year,
        start_date=start,
        end_date=end,
        target_count=max(400, int(args.companies * 0.8)),
    )
    manager = User.objects.create(username="bench-manager", display_name="ベンチ 事業責任者")
    UserRole.objects.create(user=manager, role="manager")
    ProgrammeMembership.objects.create(programme=programme, user=manager, role="manager")
    communicators = User.objects.bulk_create(
        User(username=f"bench-comm{i:02d}", display_name=f"ベンチ コミュニケータ{i:02d}") for i in range(20)
    )
    UserRole.objects.bulk_create(UserRole(user=u, role="communicator") for u in communicators)
    ProgrammeMembership.objects.bulk_create(
        ProgrammeMembership(programme=programme, user=u, role="communicator") for u in communicators
    )

    codes: dict[str, list[CodeItem]] = {}
    for item in CodeItem.objects.all():
        codes.setdefault(item.list, []).append(item)
    municipalities = list(Municipality.objects.filter(prefecture=yamagata).exclude(kind="ward"))
    industries = list(Industry.objects.filter(level="middle"))
    print(f"  companies: {args.companies:,}", flush=True)
    companies = []
    for i in range(args.companies):
        name = f"ベンチ工業{i:06d}"
        companies.append(
            Company(
                name=name,
                name_kana=f"ベンチコウギョウ{i:06d}",
                name_key=name,
                municipality=rng.choice(municipalities),
                industry=rng.choice(industries),
                business_form=rng.choice(codes["business_form"]),
                employees_band=rng.choice(codes["employees"]),
                revenue_band=rng.choice(codes["revenue"]),
                sources=["bench"],
            )
        )
    companies = Company.objects.bulk_create(companies, batch_size=BATCH)
    DesignatedCompany.objects.bulk_create(
        (DesignatedCompany(programme=programme, company=c) for c in rng.sample(companies, min(2000, len(companies)))),
        batch_size=BATCH,
    )

    print(f"  visits: {args.visits:,}", flush=True)
    days = [start + datetime.timedelta(days=n) for n in range((min(today, end) - start).days + 1)]
    days = [d for d in days if d.weekday() < 5] or [start]
    formats = {c.code: c for c in codes["visit_format"]}
    hot = companies[: max(1, int(len(companies) * 0.6))]  # most visits go to a part of the registry
    statuses = ["accepted"] * 70 + ["submitted"] * 24 + ["draft"] * 4 + ["returned"] * 2
    summaries = [
        "受発注をFAXと電話で受けており、月末の請求書作成に3日かかっている。クラウド会計に関心あり。",
        "勤怠はタイムカードで、月末に事務員が集計している。勤怠管理アプリを検討したい。",
        "在庫は月末の棚卸しで把握しており、欠品が起きている。機構の専門家派遣を案内した。",
        "ホームページは更新できておらず、問い合わせは電話のみ。セミナーを案内した。",
    ]
    now = timezone.now()
    visits, teams, challenges = [], [], []
    for _i in range(args.visits):
        company = rng.choice(hot) if rng.random() < 0.75 else rng.choice(companies)
        status = rng.choice(statuses)
        fmt = formats["visit"] if rng.random() < 0.8 else formats[rng.choice(["seminar", "online"])]
        lead = rng.choice(communicators)
        summary = rng.choice(summaries)
        visits.append(
            Visit(
                programme=programme,
                company=company,
                status=status,
                visit_date=rng.choice(days),
                visit_format=fmt,
                recorded_by=lead,
                employees_band_id=company.employees_band_id,
                business_form_id=company.business_form_id,
                revenue_band_id=company.revenue_band_id,
                municipality_id=company.municipality_id,
                interest_level=rng.choice(codes["interest_level"]),
                digital_stage=rng.choice(codes["digital_stage"]),
                summary=summary,
                search_text=build_search_text(Visit(summary=summary)),
                submitted_at=None if status == "draft" else now,
            )
        )
        teams.append(lead.pk)
        challenges.append(rng.sample(codes["challenge"], 2))
    visits = Visit.objects.bulk_create(visits, batch_size=BATCH)
    Visit.communicators.through.objects.bulk_create(
        (Visit.communicators.through(visit_id=v.pk, user_id=u) for v, u in zip(visits, teams, strict=True)),
        batch_size=BATCH,
    )
    Visit.challenges.through.objects.bulk_create(
        (
            Visit.challenges.through(visit_id=v.pk, codeitem_id=c.pk)
            for v, pair in zip(visits, challenges, strict=True)
            for c in pair
        ),
        batch_size=BATCH,
    )
    if connection.vendor == "sqlite":  # the visit search index, as `visit_search_reindex()` would fill it
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outreach_visit_fts'")
            if cursor.fetchone():
                cursor.execute(
                    "INSERT INTO outreach_visit_fts(rowid, search_text) SELECT id, search_text FROM outreach_visit"
                )


def _session_cookie() -> tuple[str, object]:
    """A signed-in session for the bench manager, made with Django's own session machinery."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from kakehashi.accounts.backends import ACCOUNT_BACKEND
    from kakehashi.accounts.models import User
    from kakehashi.accounts.sessions import SessionStore
    from kakehashi.core.middleware import SESSION_KEY as PROGRAMME_KEY
    from kakehashi.outreach.models import Programme

    user = User.objects.get(username="bench-manager")
    programme = Programme.objects.get(code__startswith="bench-dx-")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = ACCOUNT_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[PROGRAMME_KEY] = programme.pk
    session.set_expiry(24 * 60 * 60)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", programme


def _uncached_compute_ms(programme) -> float:
    from django.utils import timezone

    from kakehashi.insights.kpis import compute_progress

    timings = []
    for _i in range(3):
        started = time.perf_counter()
        compute_progress(programme, today=timezone.localdate())
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


# --- the server and the load ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KAKEHASHI_PLAIN_STATIC": "1",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PYTEST_VERSION", None)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def _load(port: int, path: str | list[str], cookie: str, *, connections: int, seconds: float, cap: int) -> dict:
    """`connections` threads, each with one keep-alive http.client connection, for `seconds` or `cap` requests
    (`path` may be a list of paths, requested in turn)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    issued = [0]
    paths = [path] if isinstance(path, str) else path
    deadline = time.perf_counter() + seconds
    headers = {"Cookie": cookie, "Host": "127.0.0.1", "Accept": "text/html", "Connection": "keep-alive"}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, my_errors = [], []
        while time.perf_counter() < deadline:
            with lock:
                if issued[0] >= cap:
                    break
                issued[0] += 1
                this_path = paths[issued[0] % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", this_path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    mine.append(time.perf_counter() - started)
                else:
                    my_errors.append(f"HTTP {response.status}")
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()  # gunicorn's sync workers close after each response; reconnect
            except (OSError, http.client.HTTPException) as error:
                my_errors.append(type(error).__name__)
                connection.close()
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(my_errors)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "path": path if isinstance(path, str) else f"{len(paths)} paths, e.g. {paths[0]}",
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "rps": round(len(latencies) / elapsed, 1),
    }


def _pages() -> list[tuple[str, str | list[str]]]:
    """(name, path or paths): a list of paths is requested in turn, one per request."""
    from django.urls import NoReverseMatch, reverse

    pages = [("trivial", reverse("insights:bench_trivial")), ("dashboard", reverse("insights:dashboard"))]
    try:
        visit_list = reverse("outreach:visit_list")
    except NoReverseMatch:
        print("  outreach:visit_list does not exist yet: measuring the trivial page and the dashboard only")
        return pages
    pages += [("visit list", visit_list), ("list, varied", _varied_queries(visit_list))]
    return pages


def _varied_queries(visit_list: str) -> list[str]:
    """The visit list under 160 different queries (pages 1–10 × format × sort), each in turn.

    The list keeps its rendered fragments per query until a visit changes (decision 017), so repeating one URL
    measures that cache; this page measures mostly the uncached path: with 160 queries and one cache per
    worker, most requests render the list from the database.
    """
    from django.utils.http import urlencode

    from kakehashi.reference.models import CodeItem

    formats = ["", *CodeItem.objects.filter(list="visit_format").values_list("code", flat=True)]
    sorts = ["", "date", "-updated", "company"]
    queries = [
        {key: value for key, value in (("page", page), ("visit_format", code), ("sort", sort)) if value}
        for page in range(1, 11)
        for code in formats
        for sort in sorts
    ]
    random.Random(7).shuffle(queries)
    return [f"{visit_list}?{urlencode(query)}" if query else visit_list for query in queries]


def main() -> None:
    args = _arguments()
    url, build = _database_url(args)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["KAKEHASHI_PLAIN_STATIC"] = "1"
    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    print(f"bench_dashboard: {vendor}, {args.companies:,} companies, {args.visits:,} visits")
    info = {}
    if build:
        print("  building the database (bulk inserts)…", flush=True)
        info = _build(args)
        if vendor == "sqlite":
            Path(urlsplit(url).path).with_suffix(".done").touch()
        print(f"  built in {info['build_seconds']} s")
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"  reusing {url.removeprefix('sqlite:///')} (--rebuild to build it again)")
    cookie, programme = _session_cookie()
    compute_ms = _uncached_compute_ms(programme)
    print(f"  dashboard figures computed without the cache: {compute_ms:.0f} ms (median of 3, in-process)")
    pages = _pages()
    connection.close()

    port = _free_port()
    server = _start_gunicorn(url, port, args.workers)
    results = []
    try:
        for name, path in pages:
            _load(port, path, cookie, connections=args.connections, seconds=args.warmup, cap=args.max_requests)
            result = _load(
                port, path, cookie, connections=args.connections, seconds=args.duration, cap=args.max_requests
            )
            result["page"] = name
            results.append(result)
            print(
                f"  {name:<12} p50 {result['p50_ms']:>7.1f} ms  p95 {result['p95_ms']:>7.1f} ms  "
                f"{result['rps']:>7.1f} req/s  ({result['requests']:,} ok, {result['errors']} errors)",
                flush=True,
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    trivial = results[0]
    print()
    print(f"{'page':<14}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'× trivial':>11}  verdict")
    for result in results:
        ratio = result["rps"] / trivial["rps"] if trivial["rps"] else float("nan")
        result["ratio_to_trivial"] = round(ratio, 2)
        if result is trivial:
            verdict = "baseline"
        else:
            ok = result["p95_ms"] <= P95_TARGET_MS and ratio >= RATIO_TARGET and not result["errors"]
            verdict = "meets" if ok else "misses"
            verdict += f" (p95 ≤ {P95_TARGET_MS} ms, ≥ {RATIO_TARGET} × trivial)"
        print(
            f"{result['page']:<14}{result['p50_ms']:>9.1f}{result['p95_ms']:>9.1f}{result['rps']:>9.1f}"
            f"{ratio:>11.2f}  {verdict}"
        )
    summary = {
        "backend": vendor,
        "companies": args.companies,
        "visits": args.visits,
        "connections": args.connections,
        "duration_s": args.duration,
        "workers": args.workers,
        "uncached_compute_ms": round(compute_ms, 1),
        **info,
        "results": results,
    }
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    out = BENCH_DIR / f"dashboard-results-{vendor}.json"
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"\n(results in {out.relative_to(BASE_DIR)})")


if __name__ == "__main__":
    main()
