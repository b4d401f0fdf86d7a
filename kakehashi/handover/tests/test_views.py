"""Prefecture staff start an export from the screen, follow its progress and download it (logged)."""

import zipfile

import pytest
from django.urls import reverse

from kakehashi.handover.choices import ExportStatus
from kakehashi.handover.models import BundleExport
from kakehashi.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _handover_dir(settings, tmp_path):
    settings.KAKEHASHI_HANDOVER_DIR = tmp_path / "handover"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_export_needs_a_reason(client_for):
    client = client_for("prefecture")
    response = client.post(reverse("handover:export_list"), {"reason": ""})
    assert response.status_code == 200
    assert not BundleExport.objects.exists()


def test_export_runs_in_the_background_and_downloads(django_capture_on_commit_callbacks, make_user, client):
    user = make_user("prefecture")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("handover:export_list"), {"reason": "次期受託者への引継ぎ"})
    job = BundleExport.objects.get()
    assert response.url == reverse("handover:export_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert job.progress_done == job.progress_total
    assert job.summary["tables"] > 10
    page = client.get(reverse("handover:export_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "ZIP をダウンロード" in page.content.decode()
    assert "<html" not in page.content.decode(), "HTMX polling gets the partial"

    download = client.get(reverse("handover:export_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "manifest.json" in archive.namelist()
    actions = list(AccessLogEntry.objects.order_by("pk").values_list("action", "reason"))
    assert actions == [("bundle_export", "次期受託者への引継ぎ"), ("bundle_download", "次期受託者への引継ぎ")]


def test_one_export_at_a_time(client_for):
    BundleExport.objects.create(reason="実行中", status=ExportStatus.RUNNING)
    response = client_for("prefecture").post(reverse("handover:export_list"), {"reason": "もう一度"})
    assert "書き出し中の引継ぎデータがあります" in response.content.decode()
    assert BundleExport.objects.count() == 1
