import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from kakehashi.core.models import ChangeLogEntry
from kakehashi.reports.choices import ReportStatus
from kakehashi.reports.models import Report
from kakehashi.reports.services import BUILD_STEPS, report_build, report_delete, report_regenerate, report_request

pytestmark = pytest.mark.django_db


def test_request_builds_in_the_background_and_stores_the_file(kpi_world, django_capture_on_commit_callbacks):
    manager = kpi_world["users"]["manager"]
    with django_capture_on_commit_callbacks(execute=True):  # tests run tasks inline (ImmediateBackend)
        report = report_request(actor=manager, programme=kpi_world["programme"], period="2026-04", fmt="xlsx")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert (report.progress_done, report.progress_total) == (BUILD_STEPS, BUILD_STEPS)
    assert (report.period_start, report.period_end) == (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert report.headline["companies"] == 3
    assert report.headline["visits"] == 4
    assert report.file.name.startswith(f"reports/{kpi_world['programme'].pk}/")
    with report.file.open("rb") as handle:
        content = handle.read()
    assert len(content) == report.file_size
    assert len(report.sha256) == 64
    assert "概要" in load_workbook(io.BytesIO(content)).sheetnames
    actions = list(ChangeLogEntry.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["create", "status"]


def test_request_rejects_periods_outside_the_programme(kpi_world):
    with pytest.raises(ValidationError):
        report_request(actor=None, programme=kpi_world["programme"], period="2025-10", fmt="pdf")
    with pytest.raises(ValidationError):
        report_request(actor=None, programme=kpi_world["programme"], period="2026-13", fmt="pdf")
    with pytest.raises(ValidationError):
        report_request(actor=None, programme=kpi_world["programme"], period="2026-05", fmt="docx")
    assert not Report.objects.exists()


def test_failure_is_recorded_not_raised(kpi_world, monkeypatch):
    report = report_request(actor=None, programme=kpi_world["programme"], period="2026-05", fmt="pdf", start=False)

    def broken(figures):
        raise RuntimeError("secret detail 090-0000")

    monkeypatch.setattr("kakehashi.reports.render_pdf.render_pdf", broken)
    report = report_build(actor=None, report=report)
    assert report.status == ReportStatus.FAILED
    assert "RuntimeError" in report.error
    assert "090" not in report.error
    assert not report.file


def test_regenerate_replaces_the_file_and_delete_removes_it(kpi_world, django_capture_on_commit_callbacks):
    programme = kpi_world["programme"]
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=None, programme=programme, period="2026-05", fmt="pdf")
    report.refresh_from_db()
    first = report.file.name
    storage = report.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        report_regenerate(actor=None, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert storage.exists(report.file.name)
    assert report.file.name == first or not storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        report_delete(actor=None, report=report)
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not storage.exists(report.file.name)


def test_running_report_cannot_be_regenerated(kpi_world):
    report = report_request(actor=None, programme=kpi_world["programme"], period="2026-05", fmt="pdf", start=False)
    with pytest.raises(ValidationError):
        report_regenerate(actor=None, report=report)
