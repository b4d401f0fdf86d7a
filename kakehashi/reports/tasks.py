"""Background work of the periodic reports."""

import logging

from django_tasks import task

from .models import Report

logger = logging.getLogger(__name__)


@task()
def build_report_task(report_id: int) -> str | None:
    """Build a queued `Report`; progress goes to the row (`progress_done/total`, `progress_step`).

    Returns the report's status, or None when the row no longer exists (deleted while queued).
    """
    from .services import report_build

    report = Report.objects.filter(pk=report_id).select_related("programme", "created_by").first()
    if report is None:
        logger.warning("report %s: not found", report_id)
        return None
    return report_build(actor=report.created_by, report=report).status
