"""The import screens end to end: upload → (columns) → preview → choose → commit → result."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kakehashi.companies.choices import ImportStatus
from kakehashi.companies.models import ColumnMapping, Company, ImportBatch
from kakehashi.outreach.models import DesignatedCompany

from .listimport_support import CN_A, csv_bytes, make_reference, registry_company, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test users only


@pytest.fixture
def ref():
    return make_reference()


@pytest.fixture
def office(client_for):
    return client_for("prefecture")


def upload(client, content: bytes, name="list.csv", **data):
    payload = {"file": SimpleUploadedFile(name, content), "mark_designated": "", "source_name": "", "sheet": ""}
    payload.update(data)
    return client.post(reverse("company_imports:upload"), payload)


def test_upload_page_offers_the_users_programmes(office, programme, other_programme):
    response = office.get(reverse("company_imports:upload"))

    content = response.content.decode()
    assert response.status_code == 200
    assert programme.name in content
    assert other_programme.name not in content
    assert 'type="file"' in content


def test_upload_preview_choose_commit_result(ref, office, programme):
    shonai_a = registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    content = csv_bytes(
        [
            ["法人番号", "会社名", "住所"],
            [CN_A, "山形精密", "山形県山形市十日町1-1"],
            ["", "庄内商店", ""],
            ["", "", ""],
            ["123", "番号違い", ""],
        ],
        encoding="cp932",
    )

    response = upload(office, content, programme=programme.pk, mark_designated="on", source_name="県リスト")

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("company_imports:detail", kwargs={"pk": batch.pk})
    assert batch.status == ImportStatus.PREVIEWED  # the immediate task backend ran the preview inline
    assert batch.encoding == "cp932"
    page = office.get(response["Location"]).content.decode()
    assert "候補を選んでいない要確認の行が 1 行あります" in page
    assert re.search(r'<button type="submit" class="button button--large button--block" disabled', page)
    assert "チェックデジット" in page or "13 桁" in page

    # committing now is refused with the reason
    refused = office.post(reverse("company_imports:commit", kwargs={"pk": batch.pk}), follow=True)
    assert "候補を選んでいない行が 1 行あります" in refused.content.decode()
    assert Company.objects.count() == 2

    row = batch.rows.get(outcome="ambiguous")
    chosen = office.post(
        reverse("company_imports:choose", kwargs={"pk": batch.pk, "row_pk": row.pk}),
        {"choice": str(shonai_a.pk)},
        HTTP_HX_REQUEST="true",
    )
    assert chosen.status_code == 200
    assert chosen["HX-Trigger"] == "importRowChosen"
    assert chosen.content.decode().lstrip().startswith('<tr id="row-')
    assert "保存しました" in chosen.content.decode()

    box = office.get(
        reverse("company_imports:detail", kwargs={"pk": batch.pk}), {"part": "commit"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="commit-box"' in box
    assert "disabled" not in box

    done = office.post(reverse("company_imports:commit", kwargs={"pk": batch.pk}))
    assert done["Location"] == reverse("company_imports:result", kwargs={"pk": batch.pk})
    result = office.get(done["Location"]).content.decode()
    assert "取込の結果" in result
    assert Company.objects.filter(corporate_number=CN_A).exists()
    assert set(DesignatedCompany.objects.values_list("company__name", flat=True)) == {"山形精密", "庄内商店"}
    assert DesignatedCompany.objects.get(company=shonai_a).source == "県リスト"


def test_a_50_mb_file_gets_a_clear_too_large_answer(office, settings):
    settings.KAKEHASHI_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    content = b"\xe4\xbc\x9a\xe7\xa4\xbe\xe5\x90\x8d\n" + b"a" * (50 * 1024 * 1024)

    response = upload(office, content)

    assert response.status_code == 200
    assert "ファイルが大きすぎます（50 MB）" in response.content.decode()
    assert "20 MB" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_unreadable_file_is_explained_on_the_form(office):
    response = upload(office, "会社名\n".encode() + b"\xff\xfe\xfd\n")

    assert response.status_code == 200
    assert "2 行目" in response.content.decode()


def test_designated_needs_a_programme(office):
    response = upload(office, csv_bytes([["会社名"], ["山形精密"]]), mark_designated="on")

    assert "事業を選んでください" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_wrong_file_type_is_refused(office):
    response = upload(office, b"%PDF-1.4", name="list.pdf")

    assert "CSV（.csv）か Excel（.xlsx）" in response.content.decode()


def test_unknown_name_column_goes_through_the_mapping_step_once(ref, office):
    content = xlsx_bytes([["訪問先企業", "所在", "メモ欄"], ["山形精密", "山形市十日町", "x"]])

    response = upload(office, content, name="list.xlsx", source_name="商工会名簿")

    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("company_imports:mapping", kwargs={"pk": batch.pk})
    page = office.get(response["Location"]).content.decode()
    assert "訪問先企業" in page
    assert "例: 山形精密" in page

    missing = office.post(response["Location"], {"col_0": "", "col_1": "address", "col_2": ""})
    assert "名称（会社名）の列を選んでください" in missing.content.decode()

    mapped = office.post(response["Location"], {"col_0": "name", "col_1": "address", "col_2": "ignore"})
    assert mapped["Location"] == reverse("company_imports:detail", kwargs={"pk": batch.pk})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.rows.get().values["name"] == "山形精密"
    assert ColumnMapping.objects.get(source_name="商工会名簿").mapping == {
        "訪問先企業": "name",
        "所在": "address",
        "メモ欄": "ignore",
    }

    # next time the same source is recognised without the mapping step
    again = upload(office, content, name="list.xlsx", source_name="商工会名簿")
    second = ImportBatch.objects.latest("pk")
    assert again["Location"] == reverse("company_imports:detail", kwargs={"pk": second.pk})
    assert second.rows.get().values["name"] == "山形精密"


def test_row_filter_and_htmx_partial(ref, office):
    upload(office, csv_bytes([["法人番号", "会社名"], ["", "山形精密"], ["123", "番号違い"]]))
    batch = ImportBatch.objects.get()
    url = reverse("company_imports:detail", kwargs={"pk": batch.pk})

    rejected = office.get(url, {"outcome": "rejected"}).content.decode()
    partial = office.get(url, {"outcome": "new"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-rows").content.decode()

    assert "番号違い" in rejected
    assert "山形精密" not in rejected.split('id="import-rows"')[1]
    searched = office.get(url, {"q": "山形"}).content.decode().split('id="import-rows"')[1]
    assert "山形精密" in searched
    assert "番号違い" not in searched
    assert partial.lstrip().startswith('<section id="import-rows"')
    assert "山形精密" in partial
    assert "<html" not in partial


def test_preview_page_query_count_is_bounded(ref, office, django_assert_max_num_queries):
    rows = [["会社名", "住所"], *[[f"会社{i}", "山形市十日町"] for i in range(60)]]
    upload(office, csv_bytes(rows))
    batch = ImportBatch.objects.get()

    with django_assert_max_num_queries(20):
        response = office.get(reverse("company_imports:detail", kwargs={"pk": batch.pk}))

    assert response.status_code == 200
    assert "1 / 2 ページ" in response.content.decode()


def test_progress_is_polled_while_running_and_refreshes_when_done(ref, office, programme):
    batch = ImportBatch.objects.create(
        kind="company_list",
        original_filename="big.csv",
        status=ImportStatus.RUNNING,
        progress_done=40,
        progress_total=100,
        created_by=None,
        programme=programme,
    )
    url = reverse("company_imports:progress", kwargs={"pk": batch.pk})

    running = office.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert "40 / 100 行" in running.content.decode()
    detail = office.get(reverse("company_imports:detail", kwargs={"pk": batch.pk})).content.decode()
    assert 'id="import-progress"' in detail

    batch.status = ImportStatus.PREVIEWED
    batch.save()
    done = office.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_list_shows_only_batches_in_scope(office, programme, other_programme):
    mine = ImportBatch.objects.create(kind="designated", original_filename="mine.csv", programme=programme)
    ImportBatch.objects.create(kind="designated", original_filename="theirs.csv", programme=other_programme)
    ImportBatch.objects.create(kind="corporate_number", original_filename="nta.zip", programme=programme)

    content = office.get(reverse("company_imports:list")).content.decode()

    assert mine.original_filename in content
    assert "theirs.csv" not in content
    assert "nta.zip" not in content


def test_commit_failure_is_shown_on_the_preview_page(ref, office, monkeypatch):
    from kakehashi.companies.listimport import commit as commit_module

    upload(office, csv_bytes([["会社名"], ["山形精密"]]))
    batch = ImportBatch.objects.get()
    monkeypatch.setattr(commit_module, "company_create", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("boom")))

    response = office.post(reverse("company_imports:commit", kwargs={"pk": batch.pk}), follow=True)

    content = response.content.decode()
    assert "確定できませんでした（何も変更していません）: boom" in content
    assert Company.objects.count() == 0


def test_committing_batch_shows_progress(ref, office, programme):
    batch = ImportBatch.objects.create(
        kind="designated",
        original_filename="big.csv",
        status=ImportStatus.RUNNING,
        programme=programme,
        options={"phase": "commit"},
    )

    content = office.get(reverse("company_imports:detail", kwargs={"pk": batch.pk})).content.decode()

    assert "取込を確定しています" in content
    assert 'hx-trigger="every 2s"' in content
