"""Screens of the designated-list and company-list import: upload → (columns) → preview → commit → result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kakehashi.core.pagination import paginate

from .choices import ImportStatus
from .listimport.choices import ImportRowDecision, ImportRowOutcome
from .listimport.commit import COMMIT_PHASE, import_batch_commit_start, row_reason
from .listimport.forms import ColumnMappingForm, ListUploadForm
from .listimport.headers import field_label
from .listimport.preview import (
    import_batch_create,
    import_batch_inspect,
    import_batch_read_headers,
    import_batch_remap,
    import_preview_start,
    import_row_resolve,
)
from .listimport.reader import ENCODING_LABELS, HEADER_SEARCH_ROWS, ImportFileError
from .listimport.selectors import import_batches_for, import_programmes_for, import_rows_for

ROW_PAGE_SIZE = 30
OUTCOME_FILTERS = [
    ("", gettext_lazy("すべて")),
    (ImportRowOutcome.MATCHED, ImportRowOutcome.MATCHED.label),
    (ImportRowOutcome.NEW, ImportRowOutcome.NEW.label),
    (ImportRowOutcome.AMBIGUOUS, ImportRowOutcome.AMBIGUOUS.label),
    ("unresolved", gettext_lazy("未選択の要確認")),
    (ImportRowOutcome.REJECTED, ImportRowOutcome.REJECTED.label),
    ("duplicates", gettext_lazy("ファイル内の重複")),
]
SHOWN_VALUES = [
    ("corporate_number", "corporate_number"),
    ("name_kana", "name_kana"),
    ("municipality", "municipality_label"),
    ("address", "address"),
    ("industry", "industry_label"),
    ("employees", "employees_label"),
    ("revenue", "revenue_label"),
    ("designated_on", "designated_on_label"),
]


def encoding_label(batch) -> str:
    return {"xlsx": "Excel (.xlsx)", **ENCODING_LABELS}.get(batch.encoding, batch.encoding)


def _committing(batch) -> bool:
    return batch.status == ImportStatus.RUNNING and batch.options.get("phase") == COMMIT_PHASE


def _require_import_permission(request) -> None:
    if not request.user.has_perm("companies.import_company_list"):
        raise PermissionDenied


def _batch_or_404(request, pk: int):
    return get_object_or_404(import_batches_for(request.user), pk=pk)


@login_required
def import_list(request):
    _require_import_permission(request)
    page = paginate(request, import_batches_for(request.user))
    return render(request, "companies/import_list.html", {"page": page})


@login_required
def import_upload(request):
    _require_import_permission(request)
    programmes = import_programmes_for(request.user)
    form = ListUploadForm(request.POST or None, request.FILES or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = import_batch_create(
            actor=request.user,
            filename=data["file"].name,
            file=data["file"],
            programme=data["programme"],
            mark_designated=data["mark_designated"],
            source_name=data["source_name"],
            sheet=data["sheet"].strip(),
        )
        try:
            plan = import_batch_read_headers(batch=batch)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if plan.missing_required:
                messages.info(request, _("名称（会社名）の列が分かりませんでした。列の対応を選んでください。"))
                return redirect("company_imports:mapping", pk=batch.pk)
            import_preview_start(batch=batch)
            return redirect("company_imports:detail", pk=batch.pk)
    return render(request, "companies/import_upload.html", {"form": form})


@login_required
def import_mapping(request, pk: int):
    batch = _batch_or_404(request, pk)
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.PREVIEWED, ImportStatus.FAILED):
        return redirect("company_imports:detail", pk=batch.pk)
    try:
        table, plan = import_batch_inspect(batch, max_rows=HEADER_SEARCH_ROWS + 3)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("company_imports:detail", pk=batch.pk)
    columns = plan.as_json()["columns"]
    samples = [cells for number, cells in table.rows if number > plan.header_row][:3]
    for column in columns:
        column["samples"] = [
            str(cells[column["index"]])[:30]
            for cells in samples
            if column["index"] < len(cells) and cells[column["index"]]
        ]
    form = ColumnMappingForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        overrides = {
            str(column["index"] + 1): form.cleaned_data[f"col_{column['index']}"]
            for column in columns
            if not column["key"] and form.cleaned_data.get(f"col_{column['index']}")
        }
        source_name = import_batch_remap(
            actor=request.user, batch=batch, plan=plan, mapping=form.mapping(), overrides=overrides
        )
        messages.success(request, _("列の対応を「%(name)s」として保存しました。") % {"name": source_name})
        return redirect("company_imports:detail", pk=batch.pk)
    context = {"batch": batch, "form": form, "columns": columns, "header_row": plan.header_row}
    return render(request, "companies/import_mapping.html", context)


def _preview_context(request, batch) -> dict:
    outcome = request.GET.get("outcome", "")
    if outcome not in dict(OUTCOME_FILTERS):
        outcome = ""
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, import_rows_for(batch, outcome=outcome, query=query), per_page=ROW_PAGE_SIZE)
    for row in page:
        _decorate(row)
    summary = batch.summary or {}
    counts = [
        (key, label, summary.get(key, 0))
        for key, label in (
            ("matched", ImportRowOutcome.MATCHED.label),
            ("new", ImportRowOutcome.NEW.label),
            ("ambiguous", ImportRowOutcome.AMBIGUOUS.label),
            ("rejected", ImportRowOutcome.REJECTED.label),
            ("duplicates", _("ファイル内の重複")),
            ("blank", _("空行（読み飛ばし）")),
        )
    ]
    return {
        "batch": batch,
        "encoding_label": encoding_label(batch),
        "page": page,
        "counts": counts,
        "outcome": outcome,
        "query": query,
        "outcome_filters": OUTCOME_FILTERS,
        "unresolved": summary.get("unresolved", 0),
        "unknown_columns": [c for c in batch.options.get("plan", {}).get("columns", []) if not c.get("field")],
    }


def _decorate(row) -> None:
    """Values for the row table (labels resolved once here, not in the template)."""
    row.shown_values = [
        (field_label(key), row.values.get(value_key)) for key, value_key in SHOWN_VALUES if row.values.get(value_key)
    ]
    row.reason_text = row_reason(row)


@login_required
def import_detail(request, pk: int):
    batch = _batch_or_404(request, pk)
    if batch.status == ImportStatus.DONE:
        return redirect("company_imports:result", pk=batch.pk)
    if batch.status in (ImportStatus.UPLOADED, ImportStatus.RUNNING, ImportStatus.FAILED):
        context = {"batch": batch, "encoding_label": encoding_label(batch), "committing": _committing(batch)}
        return render(request, "companies/import_preview.html", context)
    if request.htmx and request.GET.get("part") == "commit":
        context = {"batch": batch, "unresolved": (batch.summary or {}).get("unresolved", 0)}
        return render(request, "companies/import_preview.html#commit_box", context)
    context = _preview_context(request, batch)
    if request.htmx and request.htmx.target == "import-rows":
        return render(request, "companies/import_preview.html#rows", context)
    return render(request, "companies/import_preview.html", context)


@login_required
def import_progress(request, pk: int):
    """Polled by the preview page while the file is being classified."""
    batch = _batch_or_404(request, pk)
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.RUNNING) and request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {"batch": batch, "committing": _committing(batch)}
    return render(request, "companies/import_preview.html#progress", context)


@login_required
@require_POST
def import_row_choose(request, pk: int, row_pk: int):
    batch = _batch_or_404(request, pk)
    row = get_object_or_404(batch.rows.select_related("batch"), pk=row_pk)
    choice = request.POST.get("choice", "")
    decision, company_id = choice, None
    if choice.isdigit():
        decision, company_id = ImportRowDecision.COMPANY, int(choice)
    try:
        row = import_row_resolve(actor=request.user, row=row, decision=decision, company_id=company_id)
    except ValidationError as error:
        if request.htmx:
            return HttpResponse("; ".join(error.messages), status=400)
        messages.error(request, "; ".join(error.messages))
        return redirect("company_imports:detail", pk=batch.pk)
    if not request.htmx:
        return redirect(request.POST.get("next") or reverse("company_imports:detail", kwargs={"pk": batch.pk}))
    row = batch.rows.select_related("company", "duplicate_of").get(pk=row.pk)
    _decorate(row)
    response = render(request, "companies/partials/import_row.html", {"batch": batch, "row": row})
    response["HX-Trigger"] = "importRowChosen"  # the commit box refreshes itself
    return response


@login_required
@require_POST
def import_commit(request, pk: int):
    batch = _batch_or_404(request, pk)
    try:
        batch = import_batch_commit_start(actor=request.user, batch=batch)
    except ValidationError as error:  # CommitBlocked included: ambiguous rows still need a choice
        messages.error(request, "; ".join(error.messages))
        return redirect("company_imports:detail", pk=batch.pk)
    if batch.status == ImportStatus.DONE:  # the task already ran (immediate backend or a fast worker)
        messages.success(request, _("取込を確定しました。"))
        return redirect("company_imports:result", pk=batch.pk)
    return redirect("company_imports:detail", pk=batch.pk)


@login_required
def import_result(request, pk: int):
    batch = _batch_or_404(request, pk)
    if batch.status != ImportStatus.DONE:
        return redirect("company_imports:detail", pk=batch.pk)
    context = _preview_context(request, batch)
    return render(request, "companies/import_result.html", context)
