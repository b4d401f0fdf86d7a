"""Commit: one transaction, blanks filled but never overwritten, designations, idempotent re-import."""

import pytest
from django.core.exceptions import ValidationError

from kakehashi.companies.choices import ImportStatus
from kakehashi.companies.listimport import commit as commit_module
from kakehashi.companies.listimport.commit import CommitBlocked, import_batch_commit
from kakehashi.companies.listimport.preview import import_batch_create, import_preview_run, import_row_resolve
from kakehashi.companies.models import Company, Contact
from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.models import DesignatedCompany

from .listimport_support import CN_A, CN_B, make_reference, registry_company, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["法人番号", "会社名", "フリガナ", "郵便番号", "住所", "業種", "従業員数", "代表者", "電話", "指定日", "備考"]


@pytest.fixture
def ref():
    return make_reference()


def run(path, *, programme=None, designated=False, actor=None, **commit_kwargs):
    batch = import_batch_create(actor=actor, filename=path.name, programme=programme, mark_designated=designated)
    batch = import_preview_run(batch=batch, path=path)
    if commit_kwargs.pop("preview_only", False):
        return batch
    return import_batch_commit(actor=actor, batch=batch, **commit_kwargs)


@pytest.fixture
def designated_list(tmp_path):
    return write_xlsx(
        tmp_path / "指定訪問先.xlsx",
        [
            HEADER,
            [
                CN_A,
                "株式会社山形精密",
                "ヤマガタセイミツ",
                "990-0031",
                "山形県山形市十日町1-1",
                "E",
                25,
                "山形 太郎",
                "023-000-0001",
                "令和6年4月1日",
                "重点先",
            ],
            ["", "米沢織物(有)", "", "", "山形県米沢市金池1-1", "", "", "", "", "R6.4.1", ""],
            ["", "(株)天童木工", "", "", "", "", "", "", "", "", ""],
        ],
    )


def test_commit_creates_companies_designations_and_contacts(ref, programme, designated_list):
    batch = run(designated_list, programme=programme, designated=True)

    assert batch.status == ImportStatus.DONE
    assert batch.summary["created"] == 3
    assert batch.summary["designated"] == 3
    precise = Company.objects.get(corporate_number=CN_A)
    assert precise.name == "株式会社山形精密"
    assert precise.municipality == ref.yamagata_city
    assert precise.postal_code == "9900031"
    assert precise.industry == ref.manufacturing
    assert precise.employees_band.code == "21_50"
    assert precise.sources == ["designated"]
    designation = DesignatedCompany.objects.get(company=precise)
    assert designation.programme == programme
    assert "令和6年4月1日" in designation.note
    assert "重点先" in designation.note
    contact = Contact.objects.get(company=precise)
    assert (contact.name, contact.title, contact.phone) == ("山形 太郎", "代表者", "023-000-0001")
    assert set(batch.rows.values_list("applied", flat=True)) == {"created"}
    assert all(row.company_id for row in batch.rows.all())


def test_reimporting_the_same_file_changes_nothing(ref, programme, designated_list):
    run(designated_list, programme=programme, designated=True)
    companies = list(Company.objects.order_by("pk").values())
    log_entries = ChangeLogEntry.objects.count()

    again = run(designated_list, programme=programme, designated=True)

    assert again.summary["matched"] == 3
    assert again.summary["new"] == again.summary["ambiguous"] == 0
    assert again.summary["created"] == again.summary["updated"] == again.summary["designated"] == 0
    assert again.summary["unchanged"] == 3
    assert list(Company.objects.order_by("pk").values()) == companies
    assert DesignatedCompany.objects.count() == 3
    assert Contact.objects.count() == 1
    assert ChangeLogEntry.objects.count() == log_entries


def test_matched_companies_get_blanks_filled_but_nothing_overwritten(ref, tmp_path):
    company = registry_company("山形精密", corporate_number=CN_A, address="山形市旅篭町2-3", name_kana="")
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["法人番号", "会社名", "フリガナ", "住所", "郵便番号"],
            [CN_A, "山形精密工業", "ヤマガタセイミツ", "山形市十日町1-1", ""],
        ],
    )

    batch = run(path)

    company.refresh_from_db()
    assert batch.summary["updated"] == 1
    assert company.name == "山形精密"  # the registry's name stays
    assert company.address == "山形市旅篭町2-3"  # never overwritten
    assert company.name_kana == "ヤマガタセイミツ"  # blank: filled
    assert company.postal_code == ""  # never written with a blank
    assert "list_import" in company.sources
    entry = ChangeLogEntry.objects.filter(object_id=str(company.pk), action="update").get()
    assert set(entry.changes) == {"name_kana", "municipality_id", "sources"}


def test_three_spellings_of_one_company_in_one_file_make_one_company(ref, programme, tmp_path):
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["会社名", "市区町村", "従業員数"],
            ["(株)山形精密", "山形市", ""],
            ["株式会社 山形精密", "山形市", "30"],
            ["山形精密㈱", "山形市", ""],
        ],
    )

    batch = run(path, programme=programme, designated=True)

    company = Company.objects.get()
    assert company.name == "(株)山形精密"
    assert company.employees_band.code == "21_50"  # filled from the second spelling
    assert DesignatedCompany.objects.filter(company=company).count() == 1
    assert batch.summary["created"] == 1
    assert set(batch.rows.values_list("company", flat=True)) == {company.pk}


def test_commit_is_all_or_nothing(ref, programme, designated_list, monkeypatch):
    calls = {"n": 0}
    real = commit_module.company_create

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(commit_module, "company_create", failing_create)
    batch = run(designated_list, programme=programme, designated=True, preview_only=True)

    with pytest.raises(RuntimeError):
        import_batch_commit(actor=None, batch=batch)

    assert calls["n"] == 2
    assert Company.objects.count() == 0
    assert DesignatedCompany.objects.count() == 0
    assert Contact.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED  # can be committed again
    assert "disk full" in batch.error
    assert not batch.rows.filter(applied__gt="").exists()


def test_ambiguous_rows_block_the_commit_until_resolved(ref, tmp_path):
    chosen = registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    batch = run(write_csv(tmp_path / "list.csv", [["会社名"], ["庄内商店"]]), preview_only=True)

    with pytest.raises(CommitBlocked, match="1 行"):
        import_batch_commit(actor=None, batch=batch)

    import_row_resolve(actor=None, row=batch.rows.get(), decision="company", company_id=chosen.pk)
    batch = import_batch_commit(actor=None, batch=batch)
    assert batch.rows.get().company == chosen
    assert Company.objects.count() == 2


def test_a_resolved_ambiguous_row_is_remembered_next_time(ref, tmp_path):
    chosen = registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    path = write_csv(tmp_path / "list.csv", [["会社名"], ["庄内商店"]])
    batch = run(path, preview_only=True)
    import_row_resolve(actor=None, row=batch.rows.get(), decision="company", company_id=chosen.pk)
    import_batch_commit(actor=None, batch=batch)

    again = run(path, preview_only=True).rows.get()

    assert again.outcome == "matched"
    assert again.company == chosen


def test_skipped_and_new_decisions(ref, tmp_path):
    registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    batch = run(write_csv(tmp_path / "list.csv", [["会社名"], ["庄内商店"]]), preview_only=True)
    import_row_resolve(actor=None, row=batch.rows.get(), decision="new")

    batch = import_batch_commit(actor=None, batch=batch)

    assert Company.objects.filter(name_key=Company.objects.first().name_key).count() == 3
    assert batch.summary["created"] == 1


def test_accept_best_takes_the_top_candidate_and_skip_leaves_the_row(ref, tmp_path):
    registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    path = write_csv(tmp_path / "list.csv", [["会社名"], ["庄内商店"]])

    skipped = run(path, skip_ambiguous=True)
    assert skipped.rows.get().applied == "skipped"
    assert Company.objects.count() == 2

    best = run(path, accept_best=True)
    row = best.rows.get()
    assert row.applied == "unchanged"  # the chosen company already has everything the row has
    assert row.company_id == row.candidates[0]["id"]


def test_rejected_rows_are_not_imported(ref, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["法人番号", "会社名"], ["123", "山形精密"], [CN_B, "米沢織物"]])

    batch = run(path)

    assert list(Company.objects.values_list("name", flat=True)) == ["米沢織物"]
    assert batch.summary["skipped"] == 1


def test_a_committed_batch_cannot_be_committed_again(ref, tmp_path):
    batch = run(write_csv(tmp_path / "list.csv", [["会社名"], ["山形精密"]]))

    with pytest.raises(ValidationError):
        import_batch_commit(actor=None, batch=batch)


def test_changes_are_logged_with_the_actor(ref, tmp_path, make_user):
    user = make_user("prefecture")

    run(write_csv(tmp_path / "list.csv", [["会社名"], ["山形精密"]]), actor=user)

    entry = ChangeLogEntry.objects.get(action="create", object_repr="山形精密")
    assert entry.actor == user


def test_a_company_merged_since_the_preview_is_followed_to_the_survivor(ref, programme, tmp_path):
    from kakehashi.companies.services import company_merge

    merged = registry_company("山形精密", corporate_number=CN_A)
    survivor = registry_company("山形精密工業")
    batch = run(
        write_csv(tmp_path / "list.csv", [["法人番号", "会社名"], [CN_A, "山形精密"]]),
        preview_only=True,
        programme=programme,
        designated=True,
    )
    assert batch.rows.get().company == merged

    company_merge(actor=None, survivor=survivor, merged=merged)
    batch = import_batch_commit(actor=None, batch=batch)

    assert batch.rows.get().company == survivor
    assert DesignatedCompany.objects.get().company == survivor


def test_commit_start_hands_the_batch_to_the_task(ref, tmp_path):
    from kakehashi.companies.listimport.commit import import_batch_commit_start

    batch = run(write_csv(tmp_path / "list.csv", [["会社名"], ["山形精密"]]), preview_only=True)

    batch = import_batch_commit_start(actor=None, batch=batch)  # the immediate backend runs the task inline

    assert batch.status == ImportStatus.DONE
    assert "phase" not in batch.options
    assert Company.objects.get().name == "山形精密"


def test_commit_start_refuses_unresolved_rows(ref, tmp_path):
    from kakehashi.companies.listimport.commit import import_batch_commit_start

    registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)
    batch = run(write_csv(tmp_path / "list.csv", [["会社名"], ["庄内商店"]]), preview_only=True)

    with pytest.raises(CommitBlocked):
        import_batch_commit_start(actor=None, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_a_failing_background_commit_leaves_the_batch_previewed_with_the_error(ref, tmp_path, monkeypatch):
    from kakehashi.companies.listimport.commit import import_batch_commit_start

    batch = run(write_csv(tmp_path / "list.csv", [["会社名"], ["山形精密"]]), preview_only=True)
    monkeypatch.setattr(commit_module, "company_create", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("boom")))

    batch = import_batch_commit_start(actor=None, batch=batch)

    assert batch.status == ImportStatus.PREVIEWED
    assert "boom" in batch.error
    assert "何も変更していません" in batch.error
    assert Company.objects.count() == 0


def test_an_unexpected_error_in_the_preview_fails_the_batch(ref, tmp_path, monkeypatch):
    from kakehashi.companies.listimport import preview as preview_module

    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(preview_module, "clean_row", broken)
    batch = import_batch_create(actor=None, filename="list.csv")

    with pytest.raises(RuntimeError):
        import_preview_run(batch=batch, path=write_csv(tmp_path / "list.csv", [["会社名"], ["山形精密"]]))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "unexpected" in batch.error
