"""Prefecture staff start a handover export, watch its progress and download it (recorded in the access log)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from . import selectors, services
from .choices import ExportStatus
from .forms import BundleExportForm
from .rules import may_export_bundle


def _require(request) -> None:
    if not may_export_bundle(request.user):
        raise PermissionDenied


def _job_or_404(request, pk: int):
    job = selectors.bundle_exports_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request):
    _require(request)
    form = BundleExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.bundle_export_start(actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("引継ぎデータの書き出しを始めました。"))
            return redirect("handover:export_detail", pk=job.pk)
    page = paginate(request, selectors.bundle_exports_for(request.user))
    return render(request, "handover/export_list.html", {"form": form, "page": page})


@login_required
@require_GET
def export_detail(request, pk: int):
    _require(request)
    job = _job_or_404(request, pk)
    return render_page_or_partial(request, "handover/export_detail.html", {"job": job}, "progress")


@login_required
@require_GET
def export_download(request, pk: int):
    from kakehashi.privacy.choices import AccessAction
    from kakehashi.privacy.services import access_record

    _require(request)
    job = _job_or_404(request, pk)
    path = services.export_path(job) if job.file_name else None
    if job.status != ExportStatus.DONE or path is None or not path.exists():
        raise Http404
    access_record(actor=request.user, action=AccessAction.BUNDLE_DOWNLOAD, target=job, reason=job.reason)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
