"""Reports are for the office of the programme: prefecture staff and the manager who are members of it.
Object URLs answer 404 whether the report is missing, of another programme or not allowed."""

import pytest

from kakehashi.core.testing import Case, matrix_params

OFFICE = {"prefecture", "manager", "superuser"}


def _done_report(programme):
    from django.core.files.base import ContentFile

    from .factories import ReportFactory

    report = ReportFactory(programme=programme, status="done", progress_done=7)
    report.file.save(report.filename, ContentFile(b"PK\x03\x04 test"), save=True)
    return report


def _report(ctx):
    return {"report": _done_report(ctx["programme"])}


def _report_elsewhere(ctx):
    return {"report": _done_report(ctx["other_programme"])}


def _kwargs(ctx):
    return {"pk": ctx["report"].pk}


def _api_kwargs(ctx):
    return {"report_id": ctx["report"].pk}


CASES = [
    Case("reports:list", OFFICE),
    Case("reports:detail", OFFICE, setup=_report, kwargs=_kwargs, denied_status=404),
    Case("reports:detail", {"superuser"}, setup=_report_elsewhere, kwargs=_kwargs, denied_status=404),
    Case("reports:download", OFFICE, setup=_report, kwargs=_kwargs, denied_status=404),
    Case("reports:download", {"superuser"}, setup=_report_elsewhere, kwargs=_kwargs, denied_status=404),
    Case(
        "reports:regenerate", OFFICE, method="post", setup=_report, kwargs=_kwargs, ok_status={302}, denied_status=404
    ),
    Case("reports:delete", OFFICE, setup=_report, kwargs=_kwargs, denied_status=404),
    Case("reports:delete", OFFICE, method="post", setup=_report, kwargs=_kwargs, ok_status={302}, denied_status=404),
    Case(
        "reports:delete",
        {"superuser"},
        method="post",
        setup=_report_elsewhere,
        kwargs=_kwargs,
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "api:programme_reports", OFFICE, api=True, kwargs=lambda ctx: {"code": ctx["programme"].code}, denied_status=404
    ),
    Case(
        "api:programme_reports",
        {"superuser"},
        api=True,
        kwargs=lambda ctx: {"code": ctx["other_programme"].code},
        denied_status=404,
    ),
    Case("api:report_status", OFFICE, api=True, setup=_report, kwargs=_api_kwargs, denied_status=404),
    Case("api:report_status", {"superuser"}, api=True, setup=_report_elsewhere, kwargs=_api_kwargs, denied_status=404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_reports_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
