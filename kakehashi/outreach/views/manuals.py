"""Hearing-manual screens: read a version (HTML and PDF), its statistics, and the editor of the next version's draft
(HTMX forms per section and question, preview, publish). Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from kakehashi.core.forms import add_service_errors

from ..forms.manuals import ManualForm, PublishForm, QuestionForm, SectionForm, default_valid_from
from ..manual_pdf import pdf_filename, render_manual_pdf
from ..manuals import (
    HearingAnswersForm,
    iter_questions,
    manual_for,
    manuals_for,
    sections_of,
    version_statistics,
)
from ..models import HearingManual, HearingManualVersion
from ..services import manuals as services

# --- Helpers -------------------------------------------------------------------------------------------------------


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _programme(request):
    programme = getattr(request, "programme", None)
    return programme if programme else None


def _manual_or_404(request, pk: int, perm: str = "outreach.view_library") -> HearingManual:
    """Fetch and authorise in one step: missing, out of reach or not allowed for `perm` answers 404."""
    manual = manual_for(request.user, pk)
    if manual is None or not request.user.has_perm(perm, manual.programme):
        raise Http404
    return manual


def _version(request, manual: HearingManual) -> HearingManualVersion | None:
    """?version=N, else the version in force today, else the latest published."""
    number = request.GET.get("version")
    versions = manual.versions.all()
    if number:
        if not number.isdigit():
            raise Http404
        version = versions.filter(number=int(number)).first()
        if version is None:
            raise Http404
        return version
    today = timezone.localdate()
    return versions.filter(valid_from__lte=today).order_by("-valid_from", "-number").first() or versions.first()


def _in_force(manual: HearingManual) -> HearingManualVersion | None:
    today = timezone.localdate()
    return manual.versions.filter(valid_from__lte=today).order_by("-valid_from", "-number").first()


# --- Reading -------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def manual_list(request):
    _require(request, "outreach.use_library")
    programme = _programme(request)
    manuals = list(manuals_for(request.user, programme=programme).prefetch_related("versions")) if programme else []
    for manual in manuals:
        manual.in_force = _in_force(manual)
    context = {
        "programme": programme,
        "manuals": manuals,
        "can_edit": bool(programme) and request.user.has_perm("outreach.change_library", programme),
    }
    return render(request, "outreach/manual_list.html", context)


@login_required
@require_GET
def manual_detail(request, pk: int):
    """The manual as communicators read it on a phone: sections, questions, help, choices, conditions."""
    manual = _manual_or_404(request, pk)
    version = _version(request, manual)
    context = {
        "manual": manual,
        "version": version,
        "versions": list(manual.versions.all()),
        "in_force": _in_force(manual),
        "form": HearingAnswersForm(version) if version else None,
        "question_count": sum(1 for _ in iter_questions(version.definition)) if version else 0,
        "can_edit": request.user.has_perm("outreach.change_library", manual.programme),
        "can_stats": request.user.has_perm("outreach.view_library_stats", manual.programme),
    }
    return render(request, "outreach/manual_detail.html", context)


@login_required
@require_GET
def manual_pdf(request, pk: int):
    """The paper fallback: the version as an A4 PDF."""
    manual = _manual_or_404(request, pk)
    version = _version(request, manual)
    if version is None:
        raise Http404
    response = HttpResponse(render_manual_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(version)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def manual_stats(request, pk: int):
    """Answers per question of one version (that version only), computed in the database."""
    manual = _manual_or_404(request, pk, "outreach.view_library_stats")
    version = _version(request, manual)
    context = {
        "manual": manual,
        "version": version,
        "versions": list(manual.versions.all()),
        "stats": version_statistics(version) if version else None,
    }
    return render(request, "outreach/manual_stats.html", context)


# --- Manuals -------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manual_create(request):
    _require(request, "outreach.use_library")
    programme = _programme(request)
    if programme is None or not request.user.has_perm("outreach.change_library", programme):
        raise PermissionDenied
    form = ManualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            manual = services.manual_create(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("マニュアルを作成しました。区分と設問を追加して公開してください。"))
            return redirect("library:manual_draft", pk=manual.pk)
    return render(request, "outreach/manual_form.html", {"form": form, "manual": None, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def manual_edit(request, pk: int):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    form = ManualForm(request.POST or None, initial={"name": manual.name, "description": manual.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_update(actor=request.user, manual=manual, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("マニュアルの名称と説明を更新しました。"))
            return redirect("library:manual_draft", pk=manual.pk)
    return render(request, "outreach/manual_form.html", {"form": form, "manual": manual})


# --- The draft editor ----------------------------------------------------------------------------------------------


def _editor_context(manual: HearingManual, publish_form: PublishForm | None = None) -> dict:
    manual.refresh_from_db()
    latest = manual.versions.order_by("-number").first()
    draft = manual.draft_definition or {}
    published = services.published_questions(manual)
    if publish_form is None:
        valid_from = default_valid_from(latest.valid_from if latest else None, timezone.localdate())
        publish_form = PublishForm(initial={"valid_from": valid_from})
    return {
        "manual": manual,
        "sections": sections_of(draft),
        "published_keys": set(published),
        "latest": latest,
        "changed": services.draft_changed(manual),
        "problems": services.definition_problems(draft),
        "question_count": sum(1 for _ in iter_questions(draft)),
        "publish_form": publish_form,
    }


def _editor_response(request, manual: HearingManual, *, message: str = "", status: int = 200):
    """After a change: HTMX gets the editor (retargeted), a plain form post is redirected to the editor page."""
    if request.htmx:
        context = _editor_context(manual)
        context["flash"] = message
        response = render(request, "outreach/manual_draft.html#editor", context, status=status)
        return reswap(retarget(response, "#draft-editor"), "outerHTML")
    if message:
        messages.success(request, message)
    return redirect("library:manual_draft", pk=manual.pk)


@login_required
@require_GET
def manual_draft(request, pk: int):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    return render(request, "outreach/manual_draft.html", _editor_context(manual))


@login_required
@require_GET
def manual_preview(request, pk: int):
    """The draft as the communicator will see it in the visit form (conditions work; nothing is saved)."""
    manual = _manual_or_404(request, pk, "outreach.change_library")
    form = HearingAnswersForm(None, definition=manual.draft_definition or {})
    return render(request, "outreach/manual_preview.html", {"manual": manual, "form": form})


def _form_page(request, template: str, context: dict, *, status: int = 200):
    """A section or question form: its partial for HTMX, a whole page otherwise (works without JavaScript)."""
    if request.htmx:
        return render(request, f"{template}#form", context, status=status)
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def manual_section_new(request, pk: int):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.manual_section_save(actor=request.user, manual=manual, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _editor_response(
                request, manual, message=_("区分「%(t)s」を追加しました。") % {"t": section["title"]}
            )
    context = {"manual": manual, "form": form, "section_key": None}
    return _form_page(request, "outreach/manual_section_form.html", context)


def _draft_section(manual: HearingManual, section_key: str) -> dict:
    for section in sections_of(manual.draft_definition):
        if section.get("key") == section_key:
            return section
    raise Http404


def _draft_question(manual: HearingManual, question_key: str) -> tuple[dict, dict]:
    for section, question in iter_questions(manual.draft_definition):
        if question.get("key") == question_key:
            return section, question
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def manual_section_edit(request, pk: int, section_key: str):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    section = _draft_section(manual, section_key)
    form = SectionForm(request.POST or None, initial={"title": section.get("title"), "help": section.get("help")})
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_section_save(
                actor=request.user, manual=manual, section_key=section_key, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _editor_response(request, manual, message=_("区分を更新しました。"))
    context = {"manual": manual, "form": form, "section_key": section_key, "section": section}
    return _form_page(request, "outreach/manual_section_form.html", context)


def _direction(request) -> int:
    return -1 if request.POST.get("action") == "up" else 1


def _action_error(request, manual, error: ValidationError):
    message = " ".join(error.messages)
    if request.htmx:
        context = _editor_context(manual)
        context["flash_error"] = message
        response = render(request, "outreach/manual_draft.html#editor", context)
        return reswap(retarget(response, "#draft-editor"), "outerHTML")
    messages.error(request, message)
    return redirect("library:manual_draft", pk=manual.pk)


@login_required
@require_POST
def manual_section_action(request, pk: int, section_key: str):
    """Move a section up or down, or remove it (its questions' keys are retired)."""
    manual = _manual_or_404(request, pk, "outreach.change_library")
    _draft_section(manual, section_key)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            services.manual_section_move(
                actor=request.user, manual=manual, section_key=section_key, direction=_direction(request)
            )
            message = _("区分を移動しました。")
        elif action == "remove":
            services.manual_section_remove(actor=request.user, manual=manual, section_key=section_key)
            message = _("区分を削除しました。")
        else:
            return HttpResponse(status=400)
    except ValidationError as error:
        return _action_error(request, manual, error)
    return _editor_response(request, manual, message=message)


def _question_form(request, manual, *, section_key: str, question: dict | None):
    draft = manual.draft_definition or {}
    key = question["key"] if question else None
    published = services.published_questions(manual).get(key) if key else None
    stored = QuestionForm.initial_for(question, section_key) if question else {"section": section_key}
    if request.method == "POST":
        return QuestionForm(request.POST, draft=draft, question_key=key, published=published, initial=stored)
    if request.GET.get("refresh"):
        # Re-render with what was typed so far (kind, choices source, condition changed): unbound, no errors.
        typed = {name: request.GET.get(name) for name in QuestionForm.base_fields if name in request.GET}
        typed["show_if_values"] = request.GET.getlist("show_if_values")
        typed["required"] = bool(request.GET.get("required"))
        if published is not None:
            typed["kind"], typed["code_list"] = stored.get("kind"), stored.get("code_list")
        return QuestionForm(draft=draft, question_key=key, published=published, initial={**stored, **typed})
    return QuestionForm(draft=draft, question_key=key, published=published, initial=stored)


@login_required
@require_http_methods(["GET", "POST"])
def manual_question_new(request, pk: int, section_key: str):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    _draft_section(manual, section_key)
    form = _question_form(request, manual, section_key=section_key, question=None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.manual_question_save(
                actor=request.user,
                manual=manual,
                section_key=form.cleaned_data["section"],
                values=form.question_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _editor_response(
                request, manual, message=_("設問「%(l)s」を追加しました。") % {"l": question["label"]}
            )
    context = {"manual": manual, "form": form, "section_key": section_key, "question": None}
    return _form_page(request, "outreach/manual_question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manual_question_edit(request, pk: int, question_key: str):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    section, question = _draft_question(manual, question_key)
    form = _question_form(request, manual, section_key=section["key"], question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_question_save(
                actor=request.user,
                manual=manual,
                section_key=form.cleaned_data["section"],
                question_key=question_key,
                values=form.question_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _editor_response(request, manual, message=_("設問を更新しました。"))
    context = {"manual": manual, "form": form, "section_key": section["key"], "question": question}
    return _form_page(request, "outreach/manual_question_form.html", context)


@login_required
@require_POST
def manual_question_action(request, pk: int, question_key: str):
    """Move a question up or down within its section, or remove it (its key is retired)."""
    manual = _manual_or_404(request, pk, "outreach.change_library")
    _draft_question(manual, question_key)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            services.manual_question_move(
                actor=request.user, manual=manual, question_key=question_key, direction=_direction(request)
            )
            message = _("設問を移動しました。")
        elif action == "remove":
            services.manual_question_remove(actor=request.user, manual=manual, question_key=question_key)
            message = _("設問を削除しました。このキーは今後使われません。")
        else:
            return HttpResponse(status=400)
    except ValidationError as error:
        return _action_error(request, manual, error)
    return _editor_response(request, manual, message=message)


@login_required
@require_POST
def manual_reset(request, pk: int):
    manual = _manual_or_404(request, pk, "outreach.change_library")
    services.manual_draft_reset(actor=request.user, manual=manual)
    return _editor_response(request, manual, message=_("下書きを公開中の最新版に戻しました。"))


@login_required
@require_POST
def manual_publish(request, pk: int):
    """Freeze the draft as a new version."""
    manual = _manual_or_404(request, pk, "outreach.change_library")
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.manual_publish(actor=request.user, manual=manual, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("第%(n)d版を公開しました（%(date)s から適用）。")
                % {"n": version.number, "date": version.valid_from.strftime("%Y-%m-%d")},
            )
            return redirect(reverse("library:manual_detail", kwargs={"pk": manual.pk}) + f"?version={version.number}")
    return render(request, "outreach/manual_draft.html", _editor_context(manual, publish_form=form), status=200)
