"""The access log (audit, CSV export) and deletion requests (APPI)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.core.changelog import history_for
from kakehashi.core.exports import csv_response
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from . import selectors, services
from .choices import AccessAction, ErasureStatus
from .forms import AccessLogFilterForm, ErasureRequestForm, ErasureReviewForm
from .rules import may_handle_erasure

CONTACT_RESULTS = 20


def _filters(request) -> tuple[AccessLogFilterForm, dict]:
    form = AccessLogFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_bound and form.is_valid() else {})


@login_required
@require_GET
def access_log(request):
    if not request.user.has_perm("privacy.view_access_log"):
        raise PermissionDenied
    form, filters = _filters(request)
    page = paginate(request, selectors.access_log_for(request.user, filters=filters))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "querystring": query.urlencode()}
    return render_page_or_partial(request, "privacy/access_log.html", context, "results")


@login_required
@require_GET
def access_log_export(request):
    if not request.user.has_perm("privacy.view_access_log"):
        raise PermissionDenied
    _form, filters = _filters(request)
    entries = selectors.access_log_for(request.user, filters=filters)
    services.access_record(actor=request.user, action=AccessAction.ACCESS_LOG_EXPORT, detail={"rows": entries.count()})
    header = [_("日時"), _("ユーザー名"), _("利用者"), _("操作コード"), _("操作"), _("対象の種類"), _("対象ID")]
    header += [_("対象"), _("利用目的"), _("画面・経路")]

    def rows():
        for e in entries.iterator(chunk_size=1000):
            yield [
                e.occurred_at,
                e.actor.username if e.actor else "",
                str(e.actor) if e.actor else "",
                e.action,
                e.action_label,
                e.content_type.model if e.content_type else "",
                e.object_id,
                e.object_label,
                e.reason,
                e.path,
            ]

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(rows(), header, filename=f"{_('アクセス記録')}_{stamp}.csv")


# --- Deletion requests ---------------------------------------------------------------------------------------------


def _require_erasure(request) -> None:
    if not may_handle_erasure(request.user):
        raise PermissionDenied


def _erasure_or_404(request, pk: int):
    erasure = selectors.erasure_requests_for(request.user).filter(pk=pk).first()
    if erasure is None:
        raise Http404
    return erasure


@login_required
@require_GET
def erasure_list(request):
    _require_erasure(request)
    page = paginate(request, selectors.erasure_requests_for(request.user))
    return render(request, "privacy/erasure_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def erasure_create(request):
    _require_erasure(request)
    contacts = selectors.erasable_contacts_for(request.user)
    query = request.GET.get("q", "").strip()
    chosen = None
    if request.method == "POST":
        form = ErasureRequestForm(request.POST, contacts=contacts)
        if form.is_valid():
            try:
                erasure = services.erasure_request_register(
                    actor=request.user,
                    contact=form.cleaned_data["contact"],
                    channel=form.cleaned_data["channel"],
                    received_on=form.cleaned_data["received_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("削除請求を受け付けました。別の担当者が承認してから実行します。"))
                return redirect("privacy:erasure_detail", pk=erasure.pk)
        chosen = form.cleaned_data.get("contact") if hasattr(form, "cleaned_data") else None
    else:
        chosen_pk = request.GET.get("contact", "")
        chosen = contacts.filter(pk=int(chosen_pk)).first() if chosen_pk.isdigit() else None
        form = ErasureRequestForm(initial={"contact": chosen.pk if chosen else None}, contacts=contacts)
    results = (
        list(selectors.erasable_contacts_for(request.user, query=query)[:CONTACT_RESULTS])
        if query and chosen is None
        else []
    )
    context = {"form": form, "query": query, "results": results, "chosen": chosen}
    return render(request, "privacy/erasure_form.html", context)


@login_required
@require_GET
def erasure_detail(request, pk: int):
    _require_erasure(request)
    erasure = _erasure_or_404(request, pk)
    context = {
        "erasure": erasure,
        "review_form": ErasureReviewForm(),
        "can_review": erasure.status == ErasureStatus.REGISTERED,
        "can_execute": erasure.status == ErasureStatus.APPROVED,
        "history": history_for(erasure)[:20],
    }
    return render(request, "privacy/erasure_detail.html", context)


@login_required
@require_POST
def erasure_review(request, pk: int):
    _require_erasure(request)
    erasure = _erasure_or_404(request, pk)
    form = ErasureReviewForm(request.POST)
    if form.is_valid():
        try:
            services.erasure_request_review(
                actor=request.user,
                erasure=erasure,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("判断を記録しました。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("承認するか却下するかを選んでください。"))
    return redirect("privacy:erasure_detail", pk=erasure.pk)


@login_required
@require_POST
def erasure_execute(request, pk: int):
    _require_erasure(request)
    erasure = _erasure_or_404(request, pk)
    try:
        services.erasure_request_execute(actor=request.user, erasure=erasure)
        messages.success(request, _("個人情報を削除しました。訪問の事実と件数は残っています。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("privacy:erasure_detail", pk=erasure.pk)
