"""Screens of the periodic reports: ask for one, watch it being built, download, rebuild, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from .choices import CONTENT_TYPES, ReportStatus
from .forms import ReportRequestForm
from .selectors import reports_for
from .services import report_delete, report_download_record, report_regenerate, report_request

PAGE_SIZE = 20


def _require_reports(request) -> None:
    if not request.user.has_perm("reports.use_reports"):
        raise PermissionDenied


@login_required
def report_list(request):
    """定期報告: the current programme's reports, and the form to ask for a new one."""
    _require_reports(request)
    programme = request.programme or None
    can_manage = programme is not None and request.user.has_perm("reports.manage_reports", programme)
    form = ReportRequestForm(request.POST or None, programme=programme) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                for fmt in form.cleaned_data["formats"]:
                    report_request(actor=request.user, programme=programme, period=form.cleaned_data["period"], fmt=fmt)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("報告の作成を始めました。完了すると一覧からダウンロードできます。"))
                return redirect("reports:list")
    reports = reports_for(request.user, programme=programme if can_manage else None)
    page = paginate(request, reports, per_page=PAGE_SIZE)
    context = {
        "programme": programme,
        "can_manage": can_manage,
        "form": form,
        "page": page,
        "any_running": any(report.running for report in page),
    }
    return render_page_or_partial(request, "reports/report_list.html", context, "reports")


def _report_or_404(request, pk: int):
    # Missing, out of the user's programmes or not allowed (the selector is empty without a report role): 404.
    return get_object_or_404(reports_for(request.user), pk=pk)


@login_required
def report_detail(request, pk: int):
    report = _report_or_404(request, pk)
    return render_page_or_partial(request, "reports/report_detail.html", {"report": report}, "status")


@login_required
def report_download(request, pk: int):
    """The stored file, through this permission-checked view (never a public media URL); logged."""
    report = _report_or_404(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    report_download_record(actor=request.user, report=report)
    response = FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.filename, content_type=CONTENT_TYPES[report.format]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_regenerate_view(request, pk: int):
    report = _report_or_404(request, pk)
    try:
        report_regenerate(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("最新のデータで作り直しています。"))
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_delete_view(request, pk: int):
    report = _report_or_404(request, pk)
    if request.method == "POST":
        report_delete(actor=request.user, report=report)
        messages.success(request, _("報告を削除しました。"))
        return redirect("reports:list")
    return render(request, "reports/report_delete.html", {"report": report})
