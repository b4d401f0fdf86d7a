"""`manage.py build_report --programme CODE --period 2026-10|2026-Q3|2026 --format xlsx|pdf --output PATH`."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kakehashi.outreach.models import Programme
from kakehashi.reports.choices import ReportFormat
from kakehashi.reports.periods import PeriodError, parse_period
from kakehashi.reports.services import render_report


class Command(BaseCommand):
    help = (
        "Build a periodic report of a programme as XLSX or PDF. Periods: 2026-10 (a month), 2026-Q3 (a quarter of "
        "the fiscal year starting in April: Q3 = Oct–Dec, Q4 = Jan–Mar of the next year), 2026 (fiscal year "
        "2026-04-01 – 2027-03-31)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="the programme's code")
        parser.add_argument("--period", required=True, help="2026-10, 2026-Q3 or 2026")
        parser.add_argument("--format", required=True, choices=ReportFormat.values, dest="fmt")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--today", help="count as of this date (YYYY-MM-DD); default: today")

    def handle(self, *args, programme: str, period: str, fmt: str, output: str, today: str | None, **options):
        found = Programme.objects.select_related("prefecture").filter(code=programme).first()
        if found is None:
            raise CommandError(f"programme {programme!r} not found")
        try:
            parsed = parse_period(period)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        try:
            as_of = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today {today!r}: use YYYY-MM-DD") from error
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"{path.parent} does not exist")
        started = time.monotonic()
        content, figures = render_report(programme=found, period=parsed, fmt=fmt, today=as_of)
        path.write_bytes(content)
        summary = figures["summary"]
        self.stdout.write(
            f"{path}: {fmt} {len(content):,} bytes in {time.monotonic() - started:.1f} s — {found.code} "
            f"{parsed.key} ({parsed.start:%Y-%m-%d} – {parsed.end:%Y-%m-%d}): {summary['companies']} companies, "
            f"{summary['visits']} visits in the period; {summary['cumulative_companies']}/{summary['target']} "
            f"cumulative; {len(figures['visits'])} visits listed"
        )
