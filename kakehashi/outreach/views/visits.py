"""Visit report screens: the communicator's field home, the phone-first report form with autosave, the list with
exports, the detail with review, attachments, and the HTMX pieces of the form (company search, duplicate check,
content suggestions)."""

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.companies.choices import CompanySource, CompanyStatus
from kakehashi.companies.registry_matching import probable_matches, search_companies
from kakehashi.companies.rules import may_view_contacts
from kakehashi.companies.selectors import companies_for, with_designation
from kakehashi.companies.services import company_create
from kakehashi.core.changelog import history_for

from .. import visit_hearing
from ..filters import filter_visits
from ..forms.visits import AttachmentForm, NewCompanyForm, ReviewForm, VisitForm
from ..models import Programme, Visit
from ..selectors import field_home_for, visit_for, visit_list_for
from ..services import visits as services
from ..visit_content import content_suggestions
from ..visit_exports import EXPORT_FORMATS, visit_export_response
from ..visit_listing import FRAGMENTS, visit_list_fragments

COMPANY_RESULTS = 10
HISTORY_LIMIT = 50
# --- Helpers -------------------------------------------------------------------------------------------------------


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _programme(request) -> Programme | None:
    programme = getattr(request, "programme", None)
    return programme if programme else None


def _visit_or_404(request, uuid, perm: str = "outreach.view_visit") -> Visit:
    """Fetch and authorise in one step: a visit that is missing, out of reach or not allowed for `perm` is 404."""
    visit = visit_for(request.user, uuid)
    if visit is None or not request.user.has_perm(perm, visit):
        raise Http404
    return visit


def _editable_or_new(request, uuid) -> tuple[Visit | None, Programme]:
    """The visit behind `uuid` when the user may change it, or (None, programme) for a report not yet saved.

    A uuid held by a visit the user may not change answers 404; starting a report where the user may not record
    one answers 403.
    """
    visit = visit_for(request.user, uuid)
    if visit is None:
        if Visit.objects.filter(uuid=uuid).exists():
            raise Http404
        _require(request, "outreach.use_visits")
        programme = _programme(request)
        if programme is None or not request.user.has_perm("outreach.add_visit", programme):
            raise PermissionDenied
        return None, programme
    if not request.user.has_perm("outreach.change_visit", visit):
        raise Http404
    return visit, visit.programme


def _saved_label(visit: Visit | None) -> str:
    if visit is None:
        return ""
    return _("下書きを保存しました %(time)s") % {"time": timezone.localtime(visit.updated_at).strftime("%H:%M")}


def _autosaves(visit: Visit | None) -> bool:
    return visit is None or visit.status in services.EDITABLE_STATES


# --- Field home ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_today(request):
    _require(request, "outreach.use_visits")
    programme = _programme(request)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "today": today,
        "home": field_home_for(request.user, programme, today=today),
        "can_add": bool(programme) and request.user.has_perm("outreach.add_visit", programme),
    }
    return render(request, "outreach/visit_today.html", context)


# --- List and exports ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request):
    _require(request, "outreach.list_visits")
    programme = _programme(request)
    can_export = request.user.has_perm("outreach.export_visits")
    results_only = getattr(request, "htmx", False) and not request.htmx.boosted
    fragments = visit_list_fragments(
        request,
        programme,
        can_export=can_export,
        can_export_contacts=can_export and may_view_contacts(request.user),
        names=("results",) if results_only else FRAGMENTS,
    )
    if results_only:
        return HttpResponse(fragments["results"])
    context = {
        "fragments": fragments,
        "can_add": bool(programme) and request.user.has_perm("outreach.add_visit", programme),
    }
    return render(request, "outreach/visit_list.html", context)


@login_required
@require_GET
def visit_export(request, fmt: str):
    _require(request, "outreach.export_visits")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    programme = _programme(request)
    result = filter_visits(
        visit_list_for(request.user, programme=programme), request.GET, programme=programme, user=request.user
    )
    include_contacts = request.GET.get("contacts") == "1"
    reason = ""
    if include_contacts:
        if not may_view_contacts(request.user):
            raise PermissionDenied
        from kakehashi.privacy.exports import reason_or_form

        reason, page = reason_or_form(
            request,
            title=_("担当者情報を含めて出力"),
            back_url=reverse("outreach:visit_list"),
            count=result.queryset.count(),
        )
        if page is not None:
            return page
    return visit_export_response(
        result.queryset,
        fmt=fmt,
        user=request.user,
        programme=programme,
        include_contacts=include_contacts,
        reason=reason,
    )


# --- The report form -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_new(request):
    """Start a report: a fresh identifier in the URL, so a reload or a lost connection keeps the same report."""
    _require(request, "outreach.use_visits")
    programme = _programme(request)
    if programme is None or not request.user.has_perm("outreach.add_visit", programme):
        raise PermissionDenied
    target = reverse("outreach:visit_edit", kwargs={"uuid": uuid_lib.uuid4()})
    company = request.GET.get("company", "")
    # From the visit plan's day: start the report with the planned company picked.
    return redirect(f"{target}?company={company}" if company.isdigit() else target)


def _form_context(request, *, form, visit, programme, uuid, hearing, new_company_form=None) -> dict:
    challenge_codes = [c.code for c in (form.cleaned_data.get("challenges") or [])] if form.is_bound else None
    if challenge_codes is None:
        challenge_codes = list(form.initial.get("challenges") or [])
    shown_ids = _shown_ids(form)
    return {
        "form": form,
        "visit": visit,
        "programme": programme,
        "uuid": uuid,
        "is_new": visit is None,
        "autosave": _autosaves(visit),
        "saved_label": _saved_label(visit) if visit is not None and visit.status in services.EDITABLE_STATES else "",
        "company": _picked_company(request, form),
        "new_company_form": new_company_form or NewCompanyForm(programme=programme),
        "suggestions": content_suggestions(programme, challenge_codes, shown_ids),
        "hearing": hearing,
        "attachments": list(visit.attachments.all()) if visit is not None else [],
        "attachment_form": AttachmentForm(),
        "attachment_limits": _attachment_limits(),
        "can_discard": visit is not None and request.user.has_perm("outreach.discard_visit", visit),
    }


def _shown_ids(form) -> list[int]:
    if form.is_bound:
        return [c.pk for c in (form.cleaned_data.get("contents_shown") or [])]
    return [int(pk) for pk in form.initial.get("contents_shown") or []]


def _picked_company(request, form):
    value = form.cleaned_data.get("company") if form.is_bound and hasattr(form, "cleaned_data") else None
    if value is None and not form.is_bound:
        pk = form.initial.get("company")
        value = companies_for(request.user).filter(pk=pk).select_related("municipality").first() if pk else None
    return value


def _attachment_limits() -> dict:
    return {"max_mb": services.MAX_ATTACHMENT_BYTES // (1024 * 1024), "max_count": services.MAX_ATTACHMENTS_PER_VISIT}


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, uuid):
    """The report form: new (not yet saved) or a draft, a returned report, or (managers) any report."""
    visit, programme = _editable_or_new(request, uuid)
    form = VisitForm(request.POST or None, user=request.user, programme=programme, visit=visit)
    if visit is None and request.method == "GET" and request.GET.get("company", "").isdigit():
        form.initial["company"] = int(request.GET["company"])  # shown only if the user may see it
    hearing = visit_hearing.for_form(programme=programme, visit=visit, data=request.POST or None, form=form)
    if request.method == "POST":
        form.is_valid()
        hearing_answers = hearing.answers_for_save()
        action = request.POST.get("action", "submit")
        try:
            if _autosaves(visit):
                # A submission first keeps everything valid as the draft, so a refusal loses nothing.
                visit = services.visit_draft_save(
                    actor=request.user,
                    programme=programme,
                    uuid=uuid,
                    visit=visit,
                    values=form.valid_values(),
                    contact=form.contact(),
                    answers=hearing_answers,
                )
                if action == "draft":
                    messages.success(request, _saved_label(visit))
                    return redirect("outreach:visit_edit", uuid=visit.uuid)
                if not form.errors and not hearing.errors:
                    visit = services.visit_submit(actor=request.user, visit=visit)
                    messages.success(request, _("訪問報告を提出しました。"))
                    return redirect(reverse("outreach:visit_detail", kwargs={"uuid": visit.uuid}) + "?submitted=1")
                # Show everything a submission still needs at once, not one round at a time.
                for field, message in services.submission_problems(visit).items():
                    if field not in form.errors:
                        form.add_error(field if field in form.fields else None, message)
            elif not form.errors and not hearing.errors:
                services.visit_update(
                    actor=request.user,
                    visit=visit,
                    values=form.valid_values(),
                    contact=form.contact(),
                    answers=hearing_answers,
                )
                messages.success(request, _("訪問報告を更新しました。"))
                return redirect("outreach:visit_detail", uuid=visit.uuid)
        except ValidationError as error:
            form.add_service_errors(error)
        hearing.add_to_form_errors(form)
    context = _form_context(request, form=form, visit=visit, programme=programme, uuid=uuid, hearing=hearing)
    return render(request, "outreach/visit_form.html", context)


@login_required
@require_POST
def visit_autosave(request, uuid):
    """Save whatever is valid of the form as the draft; answers a small status line."""
    visit, programme = _editable_or_new(request, uuid)
    if not _autosaves(visit):
        return render(
            request,
            "outreach/partials/visit_draft_status.html",
            {"message": _("提出済みの報告は自動保存しません。「更新する」で保存してください。")},
        )
    form = VisitForm(request.POST, user=request.user, programme=programme, visit=visit)
    form.is_valid()
    hearing = visit_hearing.for_form(programme=programme, visit=visit, data=request.POST, form=form)
    try:
        visit = services.visit_draft_save(
            actor=request.user,
            programme=programme,
            uuid=uuid,
            visit=visit,
            values=form.valid_values(),
            contact=form.contact(),
            answers=hearing.answers_for_save(),
        )
    except ValidationError as error:
        return render(
            request,
            "outreach/partials/visit_draft_status.html",
            {"message": _("保存できませんでした: %(errors)s") % {"errors": " ".join(error.messages)}, "error": True},
        )
    pending = form.invalid_labels() + hearing.invalid_labels()
    context = {"message": _saved_label(visit), "pending": pending, "saved_at": visit.updated_at}
    return render(request, "outreach/partials/visit_draft_status.html", context)


# --- Company picking -----------------------------------------------------------------------------------------------


def _company_queryset(request, programme):
    queryset = companies_for(request.user).exclude(status=CompanyStatus.MERGED)
    return with_designation(queryset.select_related("municipality"), programme)


@login_required
@require_GET
def visit_company_search(request):
    """Search-as-you-type through the registry (one or two characters work)."""
    _require(request, "outreach.use_visits")
    query = (request.GET.get("company_q") or request.GET.get("q") or "").strip()[:100]
    programme = _programme(request)
    results = list(search_companies(_company_queryset(request, programme), query)[:COMPANY_RESULTS]) if query else []
    context = {"query": query, "results": results, "can_add": request.user.has_perm("companies.add_company")}
    return render(request, "outreach/partials/visit_company_results.html", context)


def _company_section(request, *, company, programme, extra=None):
    """The (a) block with `company` picked and its attributes prefilled from the registry."""
    initial = {"company": company.pk}
    for name in ("employees_band", "business_form", "revenue_band"):
        item = getattr(company, name)
        initial[name] = item.code if item else None
    initial["municipality"] = company.municipality.code if company.municipality_id else None
    form = VisitForm(user=request.user, programme=programme, initial=initial)
    context = {
        "form": form,
        "company": company,
        "programme": programme,
        "new_company_form": NewCompanyForm(programme=programme),
        **(extra or {}),
    }
    return render(request, "outreach/partials/visit_company_section.html", context)


@login_required
@require_GET
def visit_company_pick(request):
    _require(request, "outreach.use_visits")
    programme = _programme(request)
    try:
        pk = int(request.GET.get("company", ""))
    except ValueError:
        raise Http404 from None
    company = _company_queryset(request, programme).select_related("municipality").filter(pk=pk).first()
    if company is None:
        raise Http404
    return _company_section(request, company=company, programme=programme)


@login_required
@require_POST
def visit_company_create(request):
    """A company not found by search: check for probable duplicates, then create it (or show the matches)."""
    _require(request, "outreach.use_visits")
    _require(request, "companies.add_company")
    programme = _programme(request)
    form = NewCompanyForm(request.POST, programme=programme)
    if not form.is_valid():
        return render(request, "outreach/partials/visit_new_company.html", {"new_company_form": form, "open": True})
    fields = form.service_fields()
    if request.POST.get("confirm_distinct") != "1":
        matches = probable_matches(
            queryset=_company_queryset(request, programme).select_related("municipality__prefecture"),
            name=fields["name"],
            corporate_number=fields.get("corporate_number"),
            municipality=fields.get("municipality"),
            kana=fields.get("name_kana"),
        )
        if matches:
            context = {"new_company_form": form, "open": True, "matches": matches}
            return render(request, "outreach/partials/visit_new_company.html", context)
    try:
        company = company_create(actor=request.user, source=CompanySource.VISIT, **fields)
    except ValidationError as error:
        for field, errors in getattr(error, "message_dict", {"name": error.messages}).items():
            target = f"new_company_{field}" if f"new_company_{field}" in form.fields else None
            for message in errors:
                form.add_error(target, message)
        return render(request, "outreach/partials/visit_new_company.html", {"new_company_form": form, "open": True})
    company = _company_queryset(request, programme).get(pk=company.pk)
    response = _company_section(request, company=company, programme=programme, extra={"created": True})
    response["HX-Retarget"] = "#company-section"
    response["HX-Reswap"] = "outerHTML"
    return response


# --- Content suggestions -------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_content_suggestions(request):
    """Content for the challenges just ticked (HTMX); ticked content stays listed."""
    _require(request, "outreach.use_visits")
    programme = _programme(request)
    codes = [c for c in request.GET.getlist("challenges") if c][:30]
    shown = [int(v) for v in request.GET.getlist("contents_shown") if v.isdigit()][:50]
    context = {"suggestions": content_suggestions(programme, codes, shown)}
    return render(request, "outreach/partials/visit_content_suggestions.html", context)


# --- Detail and review ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_detail(request, uuid):
    visit = _visit_or_404(request, uuid)
    user = request.user
    can_view_contact = visit.contact_id is not None and user.has_perm("companies.view_contact", visit.contact)
    if can_view_contact:
        from kakehashi.privacy.services import contact_view_record

        contact_view_record(actor=user, contacts=[visit.contact], via=visit)
    context = {
        "visit": visit,
        "can_view_contact": can_view_contact,
        "attachments": list(visit.attachments.all()),
        "hearing": visit_hearing.for_detail(visit),
        "can_change": user.has_perm("outreach.change_visit", visit),
        "can_review": user.has_perm("outreach.review_visit", visit),
        "can_discard": user.has_perm("outreach.discard_visit", visit),
        "review_form": ReviewForm(),
        "history": history_for(visit)[:HISTORY_LIMIT],
        "just_submitted": request.GET.get("submitted") == "1",
    }
    return render(request, "outreach/visit_detail.html", context)


@login_required
@require_POST
def visit_review(request, uuid):
    visit = _visit_or_404(request, uuid, "outreach.review_visit")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
                services.visit_accept(actor=request.user, visit=visit)
                messages.success(request, _("訪問報告を承認しました。"))
            else:
                services.visit_return(actor=request.user, visit=visit, comment=form.cleaned_data["comment"])
                messages.success(request, _("訪問報告を差し戻しました。"))
            return redirect("outreach:visit_detail", uuid=visit.uuid)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
    context = {
        "visit": visit,
        "can_view_contact": False,
        "attachments": list(visit.attachments.all()),
        "hearing": visit_hearing.for_detail(visit),
        "can_change": request.user.has_perm("outreach.change_visit", visit),
        "can_review": True,
        "review_form": form,
        "history": history_for(visit)[:HISTORY_LIMIT],
    }
    return render(request, "outreach/visit_detail.html", context, status=200)


@login_required
@require_POST
def visit_discard(request, uuid):
    visit = _visit_or_404(request, uuid, "outreach.discard_visit")
    services.visit_discard(actor=request.user, visit=visit)
    messages.success(request, _("下書きを削除しました。"))
    return redirect("outreach:visit_today")


# --- Attachments ---------------------------------------------------------------------------------------------------


def _attachments_partial(request, visit, uuid, form=None):
    context = {
        "attachments": list(visit.attachments.all()) if visit is not None else [],
        "attachment_form": form or AttachmentForm(),
        "attachment_limits": _attachment_limits(),
        "uuid": uuid,
        "visit": visit,
        "can_change": True,
    }
    return render(request, "outreach/partials/visit_attachments.html", context)


@login_required
@require_POST
def attachment_upload(request, uuid):
    visit, programme = _editable_or_new(request, uuid)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            if visit is None:
                visit = services.visit_draft_save(actor=request.user, programme=programme, uuid=uuid)
            services.attachment_add(actor=request.user, visit=visit, upload=form.cleaned_data["file"])
            form = AttachmentForm()
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
    if not request.htmx:
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("outreach:visit_edit", uuid=uuid)
    return _attachments_partial(request, visit, uuid, form)


@login_required
@require_GET
def attachment_download(request, uuid, pk: int):
    """Attachments are served only here, after the visit's permission check (never from /media)."""
    visit = _visit_or_404(request, uuid)
    attachment = visit.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    from kakehashi.privacy.services import access_record

    access_record(actor=request.user, action="attachment_download", target=attachment, detail={"visit_id": visit.pk})
    inline = attachment.content_type in {"image/jpeg", "image/png"}
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, uuid, pk: int):
    visit, _unused = _editable_or_new(request, uuid)
    attachment = visit.attachments.filter(pk=pk).first() if visit is not None else None
    if attachment is None:
        raise Http404
    services.attachment_delete(actor=request.user, attachment=attachment)
    if not request.htmx:
        return redirect("outreach:visit_edit", uuid=uuid)
    return _attachments_partial(request, visit, uuid)
