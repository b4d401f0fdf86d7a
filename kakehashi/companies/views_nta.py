"""Screens of the corporate-number import (法人番号公表サイト): upload and batch progress/result."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from .choices import ImportStatus
from .nta.forms import CorporateNumberUploadForm, format_size, max_upload_bytes
from .nta.rules import IMPORT_PERMISSION
from .nta.selectors import corporate_number_batches_for
from .nta.services import corporate_number_import_create

BATCH_PAGE_SIZE = 20
REJECTION_PAGE_SIZE = 50
# (summary key, label) of the result table; rows with 0 are shown only for the main counts.
SUMMARY_ROWS = (
    ("rows", _("データ行")),
    ("inserted", _("追加した法人")),
    ("updated", _("更新した法人")),
    ("unchanged", _("変更なし")),
    ("closed", _("閉鎖・合併になった法人（内数）")),
    ("merged", _("うち合併")),
    ("reopened", _("再開した法人（内数）")),
    ("deleted", _("削除された番号（閉鎖として記録）")),
    ("duplicates", _("重複行（後の行を反映）")),
    ("skipped_hidden", _("検索対象除外の行（取り込まず）")),
    ("skipped_prefecture", _("他の都道府県の行")),
    ("stale", _("登録済みより古い行")),
    ("skipped_deleted_unknown", _("未登録の法人の削除")),
    ("blank", _("空行")),
    ("rejected", _("不正な行（取り込まず）")),
    ("successors_linked", _("承継先を関連付けた法人")),
    ("successors_missing", _("承継先が未登録の法人")),
    ("municipality_unknown", _("市区町村コードが不明な行")),
)
MAIN_KEYS = {"rows", "inserted", "updated", "unchanged", "rejected"}


def _require_permission(request) -> None:
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


@login_required
def nta_import_upload(request):
    _require_permission(request)
    form = CorporateNumberUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        prefecture = form.cleaned_data["prefecture"]
        batch = corporate_number_import_create(
            actor=request.user,
            file=form.cleaned_data["file"],
            prefecture=prefecture.code if prefecture else None,
            strict=form.cleaned_data["strict"],
        )
        return redirect("nta_import:detail", pk=batch.pk)
    page = paginate(request, corporate_number_batches_for(request.user), per_page=BATCH_PAGE_SIZE)
    context = {"form": form, "page": page, "limit": format_size(max_upload_bytes())}
    return render(request, "companies/nta_import.html", context)


@login_required
def nta_import_detail(request, pk: int):
    # An object: missing or not allowed both answer 404 (the selector is empty without the permission).
    batch = get_object_or_404(corporate_number_batches_for(request.user), pk=pk)
    summary = batch.summary or {}
    rows = [
        (label, summary.get(key, 0))
        for key, label in SUMMARY_ROWS
        if summary.get(key) or (key in MAIN_KEYS and summary)
    ]
    rejections = paginate(request, summary.get("rejections", []), per_page=REJECTION_PAGE_SIZE)
    context = {
        "batch": batch,
        "running": batch.status in {ImportStatus.UPLOADED, ImportStatus.RUNNING},
        "summary": summary,
        "summary_rows": rows,
        "rejections": rejections,
        "page": rejections,
    }
    return render_page_or_partial(request, "companies/nta_import_detail.html", context, "status")
