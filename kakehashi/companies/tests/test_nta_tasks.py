"""The background task that imports a corporate-number batch and reports its progress on the batch."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import TaskResultStatus

from kakehashi.companies.models import Company, ImportBatch
from kakehashi.companies.nta.services import corporate_number_import_create, corporate_number_import_run
from kakehashi.companies.tasks import import_corporate_numbers_task
from kakehashi.core.models import ChangeLogEntry

from .nta_support import make_row, raw_line

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_batch(rows_text: str, name: str = "diff.csv", **options) -> ImportBatch:
    upload = SimpleUploadedFile(name, rows_text.encode("utf-8"))
    return corporate_number_import_create(actor=None, file=upload, start=False, **options)


def test_task_imports_the_batch_and_completes_its_progress():
    batch = stored_batch("".join(raw_line(make_row(i)) for i in range(1, 4)))

    result = import_corporate_numbers_task.enqueue(batch.pk)

    batch.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["inserted"] == 3
    assert batch.status == "done"
    assert (batch.progress_done, batch.progress_total) == (3, 3)
    assert batch.progress_percent == 100
    assert batch.started_at <= batch.finished_at
    assert Company.objects.count() == 3


def test_progress_is_written_to_the_batch_after_every_chunk(tmp_path):
    batch = stored_batch("".join(raw_line(make_row(i)) for i in range(1, 8)))
    seen = []

    def on_progress(done, total):
        stored = ImportBatch.objects.values_list("progress_done", "progress_total").get(pk=batch.pk)
        seen.append((done, total, stored))

    corporate_number_import_run(actor=None, batch=batch, chunk_size=3, on_progress=on_progress, reindex=False)

    assert [done for done, _, _ in seen] == [0, 3, 6, 7, 7]
    assert all(stored == (done, total) for done, total, stored in seen)


def test_unreadable_file_fails_the_batch_with_its_reason():
    batch = stored_batch("会社名,住所\r\n" + "山形精密,山形市\r\n" * 10, name="list.csv")

    result = import_corporate_numbers_task.enqueue(batch.pk)

    batch.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is None
    assert batch.status == "failed"
    assert "30列" in batch.error
    assert Company.objects.count() == 0
    entry = ChangeLogEntry.objects.get(object_id=str(batch.pk))
    assert "失敗" in entry.note


def test_strict_batch_with_a_bad_row_imports_nothing_and_lists_it():
    batch = stored_batch(raw_line(make_row(1)) + raw_line(make_row(2, postCode="abc")), strict=True)

    import_corporate_numbers_task.enqueue(batch.pk)

    batch.refresh_from_db()
    assert batch.status == "failed"
    assert Company.objects.count() == 0
    assert batch.summary["rejected"] == 1
    assert batch.summary["rejections"][0]["line"] == 2
    assert batch.summary["rejections"][0]["field"] == "postCode"


def test_missing_batch_is_ignored():
    result = import_corporate_numbers_task.enqueue(999_999)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is None
