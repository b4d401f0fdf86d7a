import pytest
from django.urls import reverse

from kakehashi.reports.choices import ReportStatus
from kakehashi.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(kpi_world, client):
    from kakehashi.outreach.models import ProgrammeMembership

    user = kpi_world["users"]["manager"]
    assert ProgrammeMembership.objects.filter(user=user, programme=kpi_world["programme"]).exists()
    client.force_login(user)
    return client


def test_list_asks_for_a_report_and_builds_both_formats(office_client, kpi_world, django_capture_on_commit_callbacks):
    response = office_client.get(reverse("reports:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026年4月（2026年4月1日〜2026年4月30日）" in body
    assert "第3四半期＝10〜12月" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(reverse("reports:list"), {"period": "2026-04", "formats": ["xlsx", "pdf"]})
    assert response.status_code == 302
    reports = Report.objects.filter(programme=kpi_world["programme"])
    assert sorted(reports.values_list("format", "status")) == [("pdf", "done"), ("xlsx", "done")]
    body = office_client.get(reverse("reports:list")).content.decode()
    assert "ダウンロード" in body
    assert "hx-trigger" not in body


def test_list_rejects_unknown_period(office_client):
    response = office_client.post(reverse("reports:list"), {"period": "2030-01", "formats": ["xlsx"]})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_running_report_polls_with_htmx(office_client, kpi_world):
    from kakehashi.reports.services import report_request

    report = report_request(actor=None, programme=kpi_world["programme"], period="2026-05", fmt="pdf", start=False)
    body = office_client.get(reverse("reports:list")).content.decode()
    assert 'hx-trigger="every 2s"' in body
    partial = office_client.get(reverse("reports:detail", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    text = partial.content.decode()
    assert 'id="report-status"' in text
    assert "<html" not in text
    assert "<progress" in text


def test_download_serves_the_file_and_logs_access(office_client, kpi_world, django_capture_on_commit_callbacks):
    from kakehashi.reports.services import report_request

    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=None, programme=kpi_world["programme"], period="2026-04", fmt="pdf")
    report.refresh_from_db()
    response = office_client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert report.filename in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    privacy = pytest.importorskip("kakehashi.privacy.models", reason="the privacy app (access log) is not installed")
    entry = privacy.AccessLogEntry.objects.filter(action="report_download").latest("pk")
    assert entry.actor == kpi_world["users"]["manager"]
    assert entry.object_id == str(report.pk)


def test_download_of_unfinished_report_is_404(office_client, kpi_world):
    from kakehashi.reports.services import report_request

    report = report_request(actor=None, programme=kpi_world["programme"], period="2026-04", fmt="pdf", start=False)
    assert report.status == ReportStatus.QUEUED
    assert office_client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_media_url_does_not_serve_reports(office_client, kpi_world, django_capture_on_commit_callbacks):
    from kakehashi.reports.services import report_request

    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=None, programme=kpi_world["programme"], period="2026-04", fmt="xlsx")
    report.refresh_from_db()
    assert office_client.get(f"/media/{report.file.name}").status_code == 404


def test_list_query_count_is_bounded(office_client, kpi_world, django_assert_max_num_queries):
    from .factories import ReportFactory

    for key in ("2026-04", "2026-05", "2026-Q1", "2026"):
        ReportFactory(programme=kpi_world["programme"], period_key=key, status="done", progress_done=7)
    with django_assert_max_num_queries(15):
        assert office_client.get(reverse("reports:list")).status_code == 200
