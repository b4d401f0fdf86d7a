"""The periodic reports in the API: list a programme's reports and read one's status.

`GET /api/v1/programmes/{code}/reports` and `GET /api/v1/reports/{id}`; the file itself is
downloaded from the permission-checked page (`download_url`), which writes the access log.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema

from .selectors import report_programmes_for, reports_for

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    programme: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    format: str
    status: str
    progress_done: int
    progress_total: int
    progress_step: str
    error: str
    file_size: int | None
    sha256: str
    headline: dict
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    download_url: str | None


def _out(report) -> dict:
    return {
        "id": report.pk,
        "programme": report.programme.code,
        "period": report.period_key,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "format": report.format,
        "status": report.status,
        "progress_done": report.progress_done,
        "progress_total": report.progress_total,
        "progress_step": report.progress_step,
        "error": report.error,
        "file_size": report.file_size,
        "sha256": report.sha256,
        "headline": report.headline,
        "created_at": report.created_at,
        "finished_at": report.finished_at,
        "download_url": reverse("reports:download", args=[report.pk]) if report.status == "done" else None,
    }


@router.get(
    "/programmes/{code}/reports",
    response=list[ReportOut],
    summary="事業の定期報告の一覧",
    description="所管課・事業責任者が見られる事業の定期報告（新しい期間から、最大100件）。",
)
def programme_reports(request, code: str):
    programme = get_object_or_404(report_programmes_for(request.auth), code=code)
    return [_out(report) for report in reports_for(request.auth, programme=programme)[:100]]


@router.get("/reports/{report_id}", response=ReportOut, summary="定期報告の状態")
def report_status(request, report_id: int):
    return _out(get_object_or_404(reports_for(request.auth), pk=report_id))
