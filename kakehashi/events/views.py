"""Staff screens of events: list, edit, registrations, check-in, match, hearing, questionnaires, survey, tables.

Thin: selectors fetch and authorise (404 for missing or forbidden), services write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.core.exports import xlsx_response
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from . import selectors, services
from .choices import QuestionnairePurpose, RegistrationSource, RegistrationStatus
from .forms import CheckInCodeForm, EventForm, MixingForm, PublishNoteForm, QuestionFormSet, WalkInForm
from .kpis import event_kpis
from .questions import display_value, statistics
from .tickets import qr_svg


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _event_or_404(request, pk: int, perm: str = "events.view_event"):
    event = selectors.event_for(request.user, pk)
    if event is None or not request.user.has_perm(perm, event):
        raise Http404
    return event


def _registration_or_404(request, event, pk: int):
    registration = selectors.registration_for(request.user, event, pk)
    if registration is None:
        raise Http404
    return registration


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- Events ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    _require(request, "events.use_events")
    programme = getattr(request, "programme", None) or None
    events = selectors.events_for(request.user, programme=programme) if programme else []
    context = {
        "page": paginate(request, events, per_page=20) if programme else None,
        "programme": programme,
        "can_add": programme is not None and request.user.has_perm("events.add_event", programme),
    }
    return render(request, "events/event_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    programme = getattr(request, "programme", None) or None
    _require(request, "events.add_event", programme)
    form = EventForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, programme=programme, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("イベントを作成しました。内容を確認して公開してください。"))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = _event_or_404(request, pk, "events.change_event")
    form = EventForm(request.POST or None, instance=event, programme=event.programme)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.event_update(actor=request.user, event=event, values=values, base_url=_base_url(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("イベントを更新しました。"))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_GET
def event_detail(request, pk: int):
    event = _event_or_404(request, pk)
    context = {
        "event": event,
        "counts": selectors.attendance_counts(event),
        "can_change": request.user.has_perm("events.change_event", event),
        "survey": services.current_version(event, QuestionnairePurpose.SURVEY),
        "registration_questions": services.current_version(event, QuestionnairePurpose.REGISTRATION),
        "run": selectors.current_run(event),
        "public_url": request.build_absolute_uri(event.get_absolute_url()),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_publish(request, pk: int):
    event = _event_or_404(request, pk, "events.change_event")
    publish = request.POST.get("published", "1") == "1"
    services.event_publish(actor=request.user, event=event, published=publish)
    messages.success(request, _("公開しました。") if publish else _("非公開にしました。"))
    return redirect("events:detail", pk=event.pk)


# --- Registrations -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def registration_list(request, pk: int):
    event = _event_or_404(request, pk)
    status = request.GET.get("status", "")
    if status not in RegistrationStatus.values:
        status = ""
    query = request.GET.get("q", "")
    registrations = selectors.registrations_for(request.user, event, query=query, status=status)
    context = {
        "event": event,
        "page": paginate(request, registrations),
        "query": query,
        "status": status,
        "statuses": RegistrationStatus.choices,
        "can_change": request.user.has_perm("events.change_event", event),
    }
    return render_page_or_partial(request, "events/registration_list.html", context, "results")


@login_required
@require_POST
def registration_cancel(request, pk: int, registration_pk: int):
    event = _event_or_404(request, pk, "events.change_event")
    registration = _registration_or_404(request, event, registration_pk)
    try:
        services.registration_cancel(registration=registration, actor=request.user, base_url=_base_url(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("%(name)s さんの申込をキャンセルしました。") % {"name": registration.name})
    return redirect("events:registrations", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def registration_match(request, pk: int, registration_pk: int):
    """Resolve which registry company a registrant's organisation is, from the matcher's candidates."""
    from kakehashi.companies.matching import company_match
    from kakehashi.companies.selectors import companies_for

    event = _event_or_404(request, pk, "events.check_in")
    registration = _registration_or_404(request, event, registration_pk)
    query = request.GET.get("q", "") or registration.organisation
    visible = companies_for(request.user)
    candidates = company_match(query, limit=8, queryset=visible) if query.strip() else []
    if request.method == "POST":
        choice = request.POST.get("company", "")
        company = None
        if choice:
            company = visible.filter(pk=choice).first() if choice.isdigit() else None
            if company is None:
                raise Http404
        services.registration_match(actor=request.user, registration=registration, company=company)
        messages.success(request, _("照合結果を保存しました。"))
        return redirect(request.POST.get("next") or reverse("events:registrations", kwargs={"pk": event.pk}))
    context = {"event": event, "registration": registration, "candidates": candidates, "query": query}
    return render(request, "events/registration_match.html", context)


@login_required
@require_POST
def registration_hearing(request, pk: int, registration_pk: int):
    """A seminar attendee becomes a submitted hearing record (visit format セミナー)."""
    event = _event_or_404(request, pk, "events.check_in")
    registration = _registration_or_404(request, event, registration_pk)
    try:
        visit = services.registration_to_hearing(actor=request.user, registration=registration)
    except PermissionDenied:
        messages.error(request, _("ヒアリング記録を作成できるのは、この事業のコミュニケータと事業責任者です。"))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("ヒアリング記録（セミナー）を作成しました。進捗に数えられます。"))
        return redirect("outreach:visit_detail", uuid=visit.uuid)
    return redirect("events:registrations", pk=event.pk)


# --- Check-in ----------------------------------------------------------------------------------------------------


def _checkin_context(request, event, **extra):
    query = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    results = selectors.registrations_for(request.user, event, query=query)[:20] if query.strip() else []
    return {
        "event": event,
        "counts": selectors.attendance_counts(event),
        "code_form": CheckInCodeForm(),
        "walk_in_form": WalkInForm(),
        "query": query,
        "results": results,
        **extra,
    }


@login_required
@require_GET
def checkin(request, pk: int):
    event = _event_or_404(request, pk, "events.check_in")
    return render_page_or_partial(request, "events/checkin.html", _checkin_context(request, event), "search")


@login_required
@require_GET
def checkin_count(request, pk: int):
    """The live attendee count (HTMX polls it every few seconds)."""
    event = _event_or_404(request, pk, "events.check_in")
    return render(request, "events/checkin.html#count", {"event": event, "counts": selectors.attendance_counts(event)})


@login_required
@require_POST
def checkin_code(request, pk: int):
    event = _event_or_404(request, pk, "events.check_in")
    form = CheckInCodeForm(request.POST)
    result = {}
    if form.is_valid():
        try:
            registration, newly = services.check_in_by_code(
                actor=request.user, event=event, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            result = {"ok": False, "message": _errors(error)}
        else:
            result = {"ok": True, "newly": newly, "registration": registration}
    else:
        result = {"ok": False, "message": _("受付コードを入力してください。")}
    context = _checkin_context(request, event, result=result)
    return render_page_or_partial(request, "events/checkin.html", context, "result")


@login_required
@require_POST
def checkin_person(request, pk: int, registration_pk: int):
    event = _event_or_404(request, pk, "events.check_in")
    registration = _registration_or_404(request, event, registration_pk)
    try:
        registration, newly = services.registration_check_in(actor=request.user, registration=registration)
        result = {"ok": True, "newly": newly, "registration": registration}
    except ValidationError as error:
        result = {"ok": False, "message": _errors(error)}
    context = _checkin_context(request, event, result=result)
    return render_page_or_partial(request, "events/checkin.html", context, "result")


@login_required
@require_POST
def checkin_walk_in(request, pk: int):
    event = _event_or_404(request, pk, "events.check_in")
    form = WalkInForm(request.POST)
    result = {}
    if form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                source=RegistrationSource.WALK_IN,
                actor=request.user,
                consent=False,
                **form.cleaned_data,
            )
            result = {"ok": True, "newly": True, "registration": registration, "walk_in": True}
        except ValidationError as error:
            result = {"ok": False, "message": _errors(error)}
    else:
        result = {"ok": False, "message": _("氏名と所属を入力してください。")}
    context = _checkin_context(request, event, result=result)
    return render_page_or_partial(request, "events/checkin.html", context, "result")


# --- Questionnaires ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk: int, purpose: str):
    """Edit the registration questions or the survey: saving publishes a new version; old answers keep theirs."""
    if purpose not in QuestionnairePurpose.values:
        raise Http404
    event = _event_or_404(request, pk, "events.change_event")
    current = services.current_version(event, purpose)
    initial = [{**q, "options": "\n".join(q.get("options", []))} for q in (current.questions if current else [])]
    formset = QuestionFormSet(request.POST or None, initial=initial, prefix="q")
    note_form = PublishNoteForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and note_form.is_valid():
        kept = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        definition = {"questions": [f.as_question() for f in kept]}
        try:
            version = services.questionnaire_publish(
                actor=request.user,
                event=event,
                purpose=purpose,
                definition=definition,
                change_note=note_form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("第%(n)d版として公開しました。") % {"n": version.number})
            return redirect("events:detail", pk=event.pk)
    context = {
        "event": event,
        "purpose": purpose,
        "purpose_label": QuestionnairePurpose(purpose).label,
        "current": current,
        "formset": formset,
        "note_form": note_form,
    }
    return render(request, "events/questionnaire_form.html", context)


# --- Survey ------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def survey_send(request, pk: int):
    event = _event_or_404(request, pk, "events.change_event")
    try:
        sent = services.survey_send(actor=request.user, event=event, base_url=_base_url(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("%(n)d名にアンケートを送信しました。") % {"n": sent})
    return redirect("events:detail", pk=event.pk)


def _survey_version(request, event):
    from .models import QuestionnaireVersion

    versions = QuestionnaireVersion.objects.filter(
        questionnaire__event=event, questionnaire__purpose=QuestionnairePurpose.SURVEY
    ).order_by("-number")
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        version = versions.filter(number=int(number)).first()
        if version is None:
            raise Http404
    else:
        version = versions.filter(responses__isnull=False).first() or versions.first()
    return version, versions


@login_required
@require_GET
def survey_results(request, pk: int):
    event = _event_or_404(request, pk)
    version, versions = _survey_version(request, event)
    responses = list(version.responses.all()) if version else []
    context = {
        "event": event,
        "version": version,
        "versions": [(v, v.responses.count()) for v in versions],
        "stats": statistics(version.questions, [r.answers for r in responses]) if version else [],
        "responses": len(responses),
        "attended": selectors.attendance_counts(event)["attended"],
    }
    return render(request, "events/survey_results.html", context)


@login_required
@require_GET
def survey_export(request, pk: int):
    event = _event_or_404(request, pk, "events.change_event")
    version, _versions = _survey_version(request, event)
    if version is None:
        raise Http404
    questions = version.questions
    header = [_("回答日時"), _("版"), _("所属の種類"), *[q["label"] for q in questions]]
    rows = (
        [
            timezone.localtime(r.submitted_at),
            version.number,
            _("IT企業") if r.registration.is_it_company else _("地域企業"),
            *[display_value(q, r.answers.get(q["key"])) for q in questions],
        ]
        for r in version.responses.select_related("registration").order_by("submitted_at")
    )
    return xlsx_response(
        rows, header, filename=f"survey-{event.pk}-v{version.number}.xlsx", sheet_title=_("アンケート結果")
    )


# --- Tables ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mixing(request, pk: int):
    event = _event_or_404(request, pk)
    can_change = request.user.has_perm("events.change_event", event)
    form = MixingForm(request.POST or None, initial={"rounds": event.rounds or 3, "tables": event.tables or 4})
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                services.mixing_plan(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("席替え案を作成しました。"))
                return redirect("events:mixing", pk=event.pk)
    run = selectors.current_run(event)
    context = {
        "event": event,
        "form": form,
        "run": run,
        "rounds": selectors.seats_of(run) if run else {},
        "can_change": can_change,
    }
    return render(request, "events/mixing.html", context)


@login_required
@require_POST
def mixing_round(request, pk: int):
    event = _event_or_404(request, pk, "events.check_in")
    run = selectors.current_run(event)
    if run is None:
        raise Http404
    number = request.POST.get("round", "")
    try:
        services.mixing_set_round(actor=request.user, run=run, round_number=int(number) if number.isdigit() else 0)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("events:mixing", pk=event.pk)


@login_required
@require_GET
def table_sheets(request, pk: int):
    """Printable sheets: one page per round and table, with who sits there."""
    event = _event_or_404(request, pk)
    run = selectors.current_run(event)
    if run is None:
        raise Http404
    return render(request, "events/table_sheets.html", {"event": event, "run": run, "rounds": selectors.seats_of(run)})


@login_required
@require_GET
def event_qr(request, pk: int):
    """The public page's QR code, for posters and slides."""
    from django.http import HttpResponse

    event = _event_or_404(request, pk)
    svg = qr_svg(request.build_absolute_uri(event.get_absolute_url()))
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_GET
def kpis(request):
    _require(request, "events.use_events")
    programme = getattr(request, "programme", None) or None
    if programme is None or not request.user.has_perm("events.view_kpis", programme):
        raise Http404
    return render(request, "events/kpis.html", {"programme": programme, "kpis": event_kpis(programme)})
