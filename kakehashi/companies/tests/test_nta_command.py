"""The import_corporate_numbers and generate_corporate_numbers commands."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kakehashi.companies.models import Company, ImportBatch
from kakehashi.companies.nta.reader import NtaReader
from kakehashi.core.models import ChangeLogEntry

from .nta_support import make_row, reference_data, write_csv

pytestmark = pytest.mark.django_db


def import_command(*args, **options) -> str:
    out = StringIO()
    call_command("import_corporate_numbers", *args, stdout=out, stderr=StringIO(), no_reindex=True, **options)
    return out.getvalue()


def test_import_prints_the_summary_and_every_rejected_row(tmp_path):
    reference_data()
    rows = [make_row(1), make_row(2, furigana="@SUM(1)"), make_row(3), make_row(4, hihyoji="1")]
    path = write_csv(tmp_path, rows)

    output = import_command(str(path))

    assert Company.objects.count() == 2
    assert re.search(r"追加\s+2\n", output)
    assert "2行目 フリガナ: 表計算ソフトで数式として実行される文字" in output
    assert "検索対象除外" in output
    batch = ImportBatch.objects.get()
    assert batch.status == "done"
    assert batch.summary["rejected"] == 1
    assert ChangeLogEntry.objects.filter(object_id=str(batch.pk)).count() == 1


def test_rerun_reports_everything_unchanged(tmp_path):
    path = write_csv(tmp_path, [make_row(i) for i in range(1, 6)])
    import_command(str(path))

    output = import_command(str(path))

    assert "変更なし" in output
    assert ImportBatch.objects.order_by("-pk").first().summary["unchanged"] == 5


def test_dry_run_changes_nothing_and_writes_a_report(tmp_path):
    path = write_csv(tmp_path, [make_row(1), make_row(2, postCode="1")])
    report = tmp_path / "report.json"

    output = import_command(str(path), dry_run=True, report=str(report))

    assert "dry-run" in output
    assert Company.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["summary"]["inserted"] == 1
    assert document["rejections"][0]["line"] == 2
    assert document["rejections"][0]["field"] == "postCode"


def test_prefecture_option(tmp_path):
    miyagi = {"prefectureCode": "04", "prefectureName": "宮城県", "cityCode": "101", "cityName": "仙台市青葉区"}
    path = write_csv(tmp_path, [make_row(1), make_row(2, **miyagi)])

    import_command(str(path), prefecture="04")

    assert list(Company.objects.values_list("address", flat=True)) == ["宮城県仙台市青葉区旅篭町２丁目2－１"]


def test_strict_refuses_a_file_with_bad_rows(tmp_path):
    path = write_csv(tmp_path, [make_row(1), make_row(2, kind="30a")])

    with pytest.raises(CommandError, match="何も取り込みませんでした"):
        import_command(str(path), strict=True)

    assert Company.objects.count() == 0
    assert ImportBatch.objects.get().status == "failed"


def test_unreadable_file_is_a_command_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe" + "abc".encode("utf-16-le"))

    with pytest.raises(CommandError, match="UTF-16"):
        import_command(str(path))


def test_bad_prefecture_code_is_refused(tmp_path):
    path = write_csv(tmp_path, [make_row(1)])

    with pytest.raises(CommandError, match="01〜47"):
        import_command(str(path), prefecture="6")


@pytest.mark.parametrize(("encoding", "zipped"), [("utf-8", False), ("cp932", True)])
def test_generate_writes_valid_rows(tmp_path, encoding, zipped):
    path = tmp_path / ("g.zip" if zipped else "g.csv")
    out = StringIO()

    call_command("generate_corporate_numbers", str(path), rows=40, encoding=encoding, zip=zipped, prefecture="06",
                 stdout=out)  # fmt: skip

    reader = NtaReader(path)
    rows = [row for chunk in reader for row in chunk]
    assert reader.encoding == encoding
    assert reader.counts.rows == 40
    assert reader.rejections == []
    assert {row[13] for row in rows} == {"06"}
    assert "40 行" in out.getvalue()


def test_generate_diff_file(tmp_path):
    path = tmp_path / "diff.csv"

    call_command("generate_corporate_numbers", str(path), rows=200, diff=True, base_rows=1000, stdout=StringIO())

    reader = NtaReader(path)
    rows = [row for chunk in reader for row in chunk]
    assert reader.rejections == []
    assert {row[2] for row in rows} >= {"01", "11", "12", "21", "71"}
