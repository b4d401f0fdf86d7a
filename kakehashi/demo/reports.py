"""One stored periodic report for the demo: last month's Excel report of the demo programme.

Built synchronously (about 3 s for a month of ≈80 visits); idempotent — nothing happens when the
programme already has a report for that month.
"""

import datetime

from kakehashi.accounts.models import User
from kakehashi.outreach.models import Programme
from kakehashi.reports.choices import ReportFormat
from kakehashi.reports.models import Report
from kakehashi.reports.periods import month_period
from kakehashi.reports.services import report_build, report_request


def seed_reports(*, programme: Programme, users: dict[str, User], today: datetime.date) -> int:
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    period = month_period(last_month.year, last_month.month)
    if period.end < programme.start_date or Report.objects.filter(programme=programme, period_key=period.key).exists():
        return 0
    actor = users.get("manager")
    report = report_request(actor=actor, programme=programme, period=period, fmt=ReportFormat.XLSX, start=False)
    report_build(actor=actor, report=report, today=today)
    return 1
