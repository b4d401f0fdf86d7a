"""The upload page and the batch page (progress with HTMX polling, then summary and rejected rows)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kakehashi.companies.models import Company, ImportBatch

from .nta_support import make_row, raw_line, reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str, rows: list[list[str]], encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "".join(raw_line(row) for row in rows).encode(encoding), "text/csv")


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(reverse("nta_import:upload"))

    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_communicator_is_refused(client_for):
    response = client_for("communicator").post(reverse("nta_import:upload"), {"file": upload("a.csv", [make_row(1)])})

    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_manager_uploads_and_the_import_runs(client_for, django_capture_on_commit_callbacks):
    reference_data()
    client = client_for("manager")
    rows = [make_row(1), make_row(2, name="=1+1"), make_row(3)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("nta_import:upload"), {"file": upload("diff.csv", rows, "cp932"), "prefecture": "06"}
        )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("nta_import:detail", kwargs={"pk": batch.pk})
    assert batch.status == "done"
    assert batch.options == {"prefecture": "06", "strict": False}
    assert batch.created_by.has_role("manager")
    assert Company.objects.count() == 2

    page = client.get(response["Location"])
    content = page.content.decode()
    assert "取込が完了しました" in content
    assert "取り込まなかった行（1 行）" in content
    assert "数式" in content
    assert "hx-trigger" not in content


def test_wrong_file_type_is_refused_on_the_form(client_for):
    response = client_for("prefecture").post(
        reverse("nta_import:upload"), {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04")}
    )

    assert response.status_code == 200
    assert "CSV（.csv）か ZIP（.zip）" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_too_large_file_is_refused(client_for, settings):
    settings.KAKEHASHI_NTA_IMPORT_MAX_BYTES = 100

    response = client_for("manager").post(reverse("nta_import:upload"), {"file": upload("big.csv", [make_row(1)])})

    assert "ファイルが大きすぎます" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_running_batch_polls_its_progress_with_htmx(client_for):
    batch = ImportBatch.objects.create(
        kind="corporate_number", status="running", original_filename="all.zip", progress_done=250, progress_total=1000
    )
    client = client_for("manager")

    page = client.get(reverse("nta_import:detail", kwargs={"pk": batch.pk}))
    partial = client.get(reverse("nta_import:detail", kwargs={"pk": batch.pk}), headers={"HX-Request": "true"})

    content = page.content.decode()
    assert 'hx-trigger="every 2s"' in content
    assert '<progress max="1000" value="250"' in content
    assert "250 / 1,000 行（25%）" in content
    fragment = partial.content.decode()
    assert fragment.lstrip().startswith('<div id="nta-import-status">')
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_failed_batch_shows_the_reason(client_for):
    batch = ImportBatch.objects.create(
        kind="corporate_number", status="failed", original_filename="x.csv", error="文字コードを判別できません。"
    )

    response = client_for("prefecture").get(reverse("nta_import:detail", kwargs={"pk": batch.pk}))

    assert "文字コードを判別できません。" in response.content.decode()


def test_rejected_rows_are_paginated(client_for):
    rejections = [
        {"line": n, "field": "name", "field_label": "商号又は名称", "reason": "商号又は名称が空です", "value": ""}
        for n in range(1, 121)
    ]
    batch = ImportBatch.objects.create(
        kind="corporate_number", status="done", original_filename="x.csv",
        summary={"rows": 120, "rejected": 120, "rejections": rejections},
    )  # fmt: skip
    client = client_for("manager")
    url = reverse("nta_import:detail", kwargs={"pk": batch.pk})

    first = client.get(url).content.decode()
    third = client.get(url, {"page": 3}).content.decode()

    assert first.count("商号又は名称が空です") == 50
    assert third.count("商号又は名称が空です") == 20
    assert "3 / 3 ページ" in third


def test_upload_page_lists_earlier_imports(client_for, django_assert_max_num_queries):
    for n in range(30):
        ImportBatch.objects.create(kind="corporate_number", status="done", original_filename=f"diff_{n}.csv")
    ImportBatch.objects.create(kind="company_list", status="done", original_filename="other-kind.csv")
    client = client_for("manager")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("nta_import:upload"))

    content = response.content.decode()
    assert "diff_29.csv" in content
    assert "other-kind.csv" not in content
    assert "2 ページ" in content
