"""Screens: referrals (from a visit, list, detail, moves), advice threads, the priority list and its weights.

Thin views: permissions from `rules`, objects from `selectors` (404 whether missing or forbidden), writes through
`services`. Contact details are shown only through `_visible_contact`, which records the view in the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.companies.selectors import companies_for, contacts_for
from kakehashi.core.changelog import history_for
from kakehashi.core.exports import csv_response, xlsx_response
from kakehashi.core.forms import add_service_errors
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate
from kakehashi.outreach.selectors import visit_for

from . import selectors, services
from .choices import ReferralStatus
from .forms import (
    AdviceFilterForm,
    AdviceOpenForm,
    AdviceReplyForm,
    PriorityDecisionForm,
    PriorityFilterForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralMoveForm,
    WeightsForm,
)
from .models import PriorityWeights

HISTORY_LIMIT = 50
PRIORITY_PAGE_SIZE = 25
EXPORT_FORMATS = ("csv", "xlsx")


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _programme(request):
    return getattr(request, "programme", None) or None


def _programme_required(request, perm: str):
    """The current programme, which the user must hold `perm` in (403 otherwise; a page without one says so)."""
    programme = _programme(request)
    if programme is not None and not request.user.has_perm(perm, programme):
        raise PermissionDenied
    return programme


def _visible_contact(request, referral):
    """The referral's contact, if the user may see it; a coordinator's view is written to the access log."""
    contact = referral.contact
    if contact is None or not contacts_for(request.user, referral.company).filter(pk=contact.pk).exists():
        return None
    from kakehashi.privacy.services import contact_view_record

    contact_view_record(actor=request.user, contacts=[contact], via=referral)
    return contact


# --- Referrals ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def referral_list(request):
    _require(request, "sharing.use_referrals")
    programme = _programme(request)
    form = ReferralFilterForm(request.GET or None)
    queryset = selectors.referral_list_for(request.user, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(company__name__icontains=data["q"]) | Q(company__name_kana__icontains=data["q"])
            )
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["destination"]:
            queryset = queryset.filter(destination=data["destination"])
    page = paginate(request, queryset)
    context = {
        "page": page,
        "form": form,
        "programme": programme,
        "funnel": selectors.referral_funnel(programme=programme) if programme else [],
    }
    return render_page_or_partial(request, "sharing/referral_list.html", context, "results")


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request, uuid):
    visit = visit_for(request.user, uuid)
    if visit is None or not request.user.has_perm("sharing.refer_visit", visit):
        raise Http404
    contacts = contacts_for(request.user, visit.company)
    form = ReferralForm(request.POST or None, visit=visit, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.user,
                visit=visit,
                destination=data["destination"],
                purpose=data["purpose"],
                challenges=data["challenges"],
                urgency=data["urgency"],
                consent_scope=data["consent_scope"],
                contact=data["contact"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("「%(company)s」を%(destination)sに紹介しました。")
                % {"company": visit.company.name, "destination": referral.get_destination_display()},
            )
            return redirect("sharing:referral_detail", pk=referral.pk)
    existing = selectors.referrals_for(request.user).filter(company=visit.company, programme=visit.programme)
    return render(request, "sharing/referral_form.html", {"form": form, "visit": visit, "existing": existing})


def _referral_or_404(request, pk: int):
    referral = selectors.referral_for(request.user, pk)
    if referral is None or not request.user.has_perm("sharing.view_referral", referral):
        raise Http404
    return referral


@login_required
@require_GET
def referral_detail(request, pk: int):
    referral = _referral_or_404(request, pk)
    can_move = request.user.has_perm("sharing.move_referral", referral)
    context = {
        "referral": referral,
        "contact": _visible_contact(request, referral),
        "events": selectors.referral_events(referral),
        "can_move": can_move,
        "move_form": ReferralMoveForm(moves=services.allowed_moves(referral.status)) if can_move else None,
        "can_view_visit": referral.visit_id is not None
        and request.user.has_perm("outreach.view_visit", referral.visit),
        "history": history_for(referral)[:HISTORY_LIMIT],
        "path": _path_states(referral),
    }
    return render(request, "sharing/referral_detail.html", context)


def _path_states(referral) -> list[dict]:
    """The steps of the path for the progress indicator: done, current or to come."""
    from .choices import REFERRAL_PATH

    reached = set(referral.events.values_list("to_status", flat=True))
    return [
        {"label": step.label, "done": step.value in reached, "current": step.value == referral.status}
        for step in REFERRAL_PATH
    ]


@login_required
@require_POST
def referral_move(request, pk: int):
    referral = _referral_or_404(request, pk)
    if not request.user.has_perm("sharing.move_referral", referral):
        raise Http404
    form = ReferralMoveForm(request.POST, moves=services.allowed_moves(referral.status))
    if form.is_valid():
        try:
            referral = services.referral_transition(
                actor=request.user,
                referral=referral,
                to_status=form.cleaned_data["to_status"],
                occurred_on=form.cleaned_data["occurred_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("状態を「%(status)s」にしました。") % {"status": referral.get_status_display()})
            return redirect("sharing:referral_detail", pk=referral.pk)
    context = {
        "referral": referral,
        "contact": _visible_contact(request, referral),
        "events": selectors.referral_events(referral),
        "can_move": True,
        "move_form": form,
        "can_view_visit": referral.visit_id is not None
        and request.user.has_perm("outreach.view_visit", referral.visit),
        "history": history_for(referral)[:HISTORY_LIMIT],
        "path": _path_states(referral),
    }
    return render(request, "sharing/referral_detail.html", context, status=422)


# --- Advice threads -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def advice_list(request):
    _require(request, "sharing.use_advice")
    programme = _programme(request)
    form = AdviceFilterForm(request.GET or None)
    queryset = selectors.advice_threads_for(request.user, programme=programme)
    if form.is_valid() and form.cleaned_data["status"]:
        queryset = queryset.filter(status=form.cleaned_data["status"])
    context = {
        "page": paginate(request, queryset),
        "form": form,
        "programme": programme,
        "waiting": selectors.advice_waiting_for(request.user, programme=programme).count(),
        "can_ask": programme is not None and request.user.has_perm("sharing.ask_advice", programme),
    }
    return render_page_or_partial(request, "sharing/advice_list.html", context, "results")


def _shared_companies(request, programme):
    from kakehashi.companies.models import Company

    if request.user.is_superuser:
        return companies_for(request.user).filter(visits__programme=programme).distinct()
    return Company.objects.filter(pk__in=selectors.coordinator_company_ids(request.user)).order_by("name_key")


@login_required
@require_http_methods(["GET", "POST"])
def advice_new(request):
    programme = _programme(request)
    if programme is None or not request.user.has_perm("sharing.ask_advice", programme):
        raise PermissionDenied
    form = AdviceOpenForm(
        request.POST or None,
        companies=_shared_companies(request, programme),
        initial={"company": request.GET.get("company")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.advice_thread_open(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("助言を依頼しました。回答があるとメールでお知らせします。"))
            return redirect("sharing:advice_detail", pk=thread.pk)
    return render(request, "sharing/advice_form.html", {"form": form, "programme": programme})


def _thread_or_404(request, pk: int):
    thread = selectors.advice_thread_for(request.user, pk)
    if thread is None or not request.user.has_perm("sharing.view_advice", thread):
        raise Http404
    return thread


@login_required
@require_http_methods(["GET", "POST"])
def advice_detail(request, pk: int):
    thread = _thread_or_404(request, pk)
    can_post = request.user.has_perm("sharing.follow_up_advice", thread) and thread.status != "closed"
    form = AdviceReplyForm(request.POST or None)
    if request.method == "POST":
        if not can_post:
            raise Http404
        if form.is_valid():
            try:
                services.advice_reply(actor=request.user, thread=thread, body=form.cleaned_data["body"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("投稿しました。"))
                return redirect("sharing:advice_detail", pk=thread.pk)
    context = {
        "thread": thread,
        "thread_messages": selectors.advice_messages(thread),
        "form": form,
        "can_post": can_post,
        "history": history_for(thread)[:HISTORY_LIMIT],
    }
    return render(request, "sharing/advice_detail.html", context)


@login_required
@require_POST
def advice_close(request, pk: int):
    thread = _thread_or_404(request, pk)
    if not request.user.has_perm("sharing.follow_up_advice", thread):
        raise Http404
    services.advice_close(actor=request.user, thread=thread)
    messages.success(request, _("依頼を完了にしました。"))
    return redirect("sharing:advice_detail", pk=thread.pk)


# --- Priority list ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def priority_list(request):
    _require(request, "sharing.use_priority")
    programme = _programme_required(request, "sharing.view_priority")
    snapshot = selectors.latest_snapshot(programme) if programme else None
    form = PriorityFilterForm(request.GET or None)
    decision = form.cleaned_data["decision"] if form.is_valid() else ""
    page = paginate(
        request, selectors.priority_entries_for(request.user, snapshot, decision=decision), PRIORITY_PAGE_SIZE
    )
    previous = selectors.previous_ranks(snapshot, [e.company_id for e in page])
    for entry in page:
        entry.previous_rank = previous.get(entry.company_id)
    context = {
        "programme": programme,
        "snapshot": snapshot,
        "page": page,
        "form": form,
        "decision_form": PriorityDecisionForm(),
        "can_decide": programme is not None and request.user.has_perm("sharing.decide_priority", programme),
        "can_recompute": programme is not None and request.user.has_perm("sharing.recompute_priority", programme),
        "can_edit_weights": programme is not None and request.user.has_perm("sharing.edit_weights", programme),
    }
    return render_page_or_partial(request, "sharing/priority_list.html", context, "results")


@login_required
@require_POST
def priority_recompute(request):
    _require(request, "sharing.use_priority")
    programme = _programme(request)
    if programme is None or not request.user.has_perm("sharing.recompute_priority", programme):
        raise PermissionDenied
    result = services.priority_recompute(actor=request.user, programme=programme)
    messages.success(request, _("優先リストを再計算しました（%(n)s社）。") % {"n": result.company_count})
    return redirect("sharing:priority_list")


@login_required
@require_POST
def priority_decide(request, company_pk: int):
    programme = _programme(request)
    if programme is None or not request.user.has_perm("sharing.decide_priority", programme):
        raise PermissionDenied
    company = companies_for(request.user).filter(pk=company_pk).first()
    if company is None:
        raise Http404
    form = PriorityDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.priority_decide(actor=request.user, programme=programme, company=company, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("「%(company)s」の判断を記録しました。") % {"company": company.name})
            return redirect(request.POST.get("next") or "sharing:priority_list")
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("sharing:priority_list")


@login_required
@require_GET
def priority_export(request, fmt: str):
    _require(request, "sharing.use_priority")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    programme = _programme(request)
    if programme is None or not request.user.has_perm("sharing.export_priority", programme):
        raise PermissionDenied
    snapshot = selectors.latest_snapshot(programme)
    entries = selectors.priority_entries_for(request.user, snapshot)
    header = [
        _("順位"),
        _("点数"),
        _("企業"),
        _("法人番号"),
        _("市区町村"),
        _("最終訪問日"),
        _("理由"),
        _("判断"),
        _("理由・助言"),
    ]
    kinds = dict(services.PriorityDecisionKind.choices)

    def rows():
        for entry in entries.iterator(chunk_size=500):
            yield [
                entry.rank,
                entry.score,
                entry.company.name,
                entry.company.corporate_number,
                entry.company.municipality.name if entry.company.municipality else "",
                entry.last_visit_date,
                "、".join(r["label"] for r in entry.reasons),
                kinds.get(entry.decision_kind, ""),
                entry.decision_note or "",
            ]

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{_('伴走支援の優先リスト')}_{stamp}.{fmt}"
    if fmt == "csv":
        return csv_response(rows(), header, filename=filename)
    return xlsx_response(rows(), header, filename=filename, sheet_title=_("優先リスト"))


@login_required
@require_http_methods(["GET", "POST"])
def priority_weights(request):
    _require(request, "sharing.use_priority")
    programme = _programme(request)
    if programme is None or not request.user.has_perm("sharing.view_priority", programme):
        raise PermissionDenied
    can_edit = request.user.has_perm("sharing.edit_weights", programme)
    current = selectors.current_weights(programme) or PriorityWeights(programme=programme, version=0)
    form = WeightsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                weights = services.priority_weights_update(
                    actor=request.user, programme=programme, values=form.weight_values(), note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("重みを第%(version)s版として保存し、優先リストを再計算しました。") % {"version": weights.version},
                )
                return redirect("sharing:priority_list")
    context = {
        "programme": programme,
        "form": form,
        "can_edit": can_edit,
        "current": current,
        "page": paginate(request, selectors.weights_history(programme), 20),
        "snapshots": selectors.snapshots_for(programme)[:10],
    }
    return render(request, "sharing/priority_weights.html", context)


REFERRAL_STATUS_BADGES = {
    ReferralStatus.REFERRED: "badge--blue",
    ReferralStatus.CONSULTING: "badge--blue",
    ReferralStatus.SUPPORTING: "badge--green",
    ReferralStatus.COMPLETED: "badge--green",
    ReferralStatus.DECLINED: "badge--red",
}
