"""The import_companies command: JSON report shape, dry run, mapping, accept-best, unreadable files."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kakehashi.companies.models import Company, ImportBatch
from kakehashi.outreach.models import DesignatedCompany

from .listimport_support import CN_A, CN_BAD, make_reference, registry_company, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref():
    return make_reference()


def call(*args) -> str:
    out = StringIO()
    call_command("import_companies", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def list_csv(tmp_path):
    return write_csv(
        tmp_path / "list.csv",
        [
            ["法人番号", "会社名", "住所"],
            [CN_A, "山形精密", "山形市十日町"],
            ["", "", ""],
            [CN_BAD, "番号違い", ""],
            ["", "庄内商店", ""],
        ],
        encoding="cp932",
    )


def test_json_report_shape(ref, programme, list_csv):
    existing = registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)

    report = json.loads(call(str(list_csv), "--programme", programme.code, "--designated", "--report", "json"))

    assert set(report) == {"summary", "rows"}
    assert {"matched", "new", "ambiguous", "rejected", "blank", "duplicates", "created", "designated"} <= set(
        report["summary"]
    )
    assert [set(row) for row in report["rows"]] == [{"row", "outcome", "company", "reason"}] * 3
    rows = {row["row"]: row for row in report["rows"]}
    created = Company.objects.get(corporate_number=CN_A)
    assert rows[2] == {
        "row": 2,
        "outcome": "new",
        "company": {"id": created.pk, "corporate_number": CN_A, "name": "山形精密"},
        "reason": rows[2]["reason"],
    }
    assert rows[4]["outcome"] == "rejected"
    assert rows[4]["company"] is None
    assert "法人番号" in rows[4]["reason"]
    assert rows[5]["outcome"] == "ambiguous"
    assert rows[5]["company"] is None  # not committed without --accept-best
    assert "候補" in rows[5]["reason"]
    assert report["summary"]["blank"] == 1
    assert DesignatedCompany.objects.filter(programme=programme).count() == 1
    assert not DesignatedCompany.objects.filter(company=existing).exists()


def test_accept_best_commits_ambiguous_rows(ref, programme, list_csv):
    registry_company("庄内商店", municipality=ref.yamagata_city)
    registry_company("庄内商店", municipality=ref.yonezawa)

    report = json.loads(call(str(list_csv), "--accept-best", "--report", "json"))

    row = next(r for r in report["rows"] if r["row"] == 5)
    assert row["outcome"] == "ambiguous"
    assert row["company"]["name"] == "庄内商店"


def test_dry_run_keeps_nothing(ref, list_csv):
    out = call(str(list_csv), "--dry-run")

    assert "[dry-run]" in out
    assert "新規 2" in out
    assert Company.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_map_option_and_source_name(ref, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["訪問先", "所在"], ["山形精密", "山形県米沢市金池1"]])

    call(str(path), "--map", "所在=address", "--source", "県リスト")

    assert Company.objects.get().municipality == ref.yonezawa


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "見つかりません"),
        (["--map", "会社名"], "列=項目"),
        (["--map", "会社名=shoe_size"], "shoe_size"),
        (["--designated"], "--programme"),
        (["--programme", "nope"], "nope"),
    ],
)
def test_bad_invocations_exit_non_zero(ref, tmp_path, args, message):
    path = write_csv(tmp_path / "list.csv", [["会社名"], ["山形精密"]])
    full = [str(tmp_path / "missing.csv")] if args == ["missing.csv"] else [str(path), *args]

    with pytest.raises(CommandError, match=message):
        call(*full)


def test_unreadable_file_exits_non_zero_with_the_line(ref, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes("会社名\n".encode() + b"\xff\xfe\n")

    with pytest.raises(CommandError, match="2 行目"):
        call(str(path))
    assert ImportBatch.objects.count() == 0


def test_exit_code_from_the_command_line(ref, tmp_path):
    """`manage.py import_companies` returns 1 on an unreadable file (CommandError through run_from_argv)."""
    from django.core.management import ManagementUtility

    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe\xfd")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_companies", str(path)]).execute()
    assert exit_info.value.code == 1
