import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_build_report_writes_the_file(kpi_world, tmp_path):
    output = tmp_path / "r.xlsx"
    out = io.StringIO()
    call_command(
        "build_report",
        "--programme",
        kpi_world["programme"].code,
        "--period",
        "2026-Q1",
        "--format",
        "xlsx",
        "--output",
        str(output),
        "--today",
        "2026-05-13",
        stdout=out,
    )
    assert "2026-04-01 – 2026-06-30" in out.getvalue()
    assert "4/10 cumulative" in out.getvalue()
    assert "訪問一覧" in load_workbook(output).sheetnames


def test_build_report_pdf(kpi_world, tmp_path):
    output = tmp_path / "r.pdf"
    call_command(
        "build_report",
        "--programme",
        kpi_world["programme"].code,
        "--period",
        "2026",
        "--format",
        "pdf",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    assert output.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--programme", "nope", "--period", "2026", "--format", "pdf"], "not found"),
        (["--programme", "yamagata-test", "--period", "2026-Q5", "--format", "pdf"], "2026-Q3"),
    ],
)
def test_build_report_errors(kpi_world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, "--output", str(tmp_path / "x"))
