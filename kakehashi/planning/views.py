"""Planning screens: inputs (settings, quotas, communicators, company constraints, companions), building a plan
with a progress bar, the plan page with its quality report and diff, approval, Excel export, the communicator's
day with a route map, and the token-protected calendar feed."""

import datetime
import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.companies.selectors import companies_for
from kakehashi.core.exports import xlsx_response
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.japanese_dates import WEEKDAYS, parse_date
from kakehashi.core.pagination import paginate
from kakehashi.outreach.models import Programme
from kakehashi.reference.models import Municipality

from . import ics, maps, selectors, services
from .choices import WEEKDAY_LABELS, StratumKind
from .forms import (
    CommunicatorProfileForm,
    CompanionRequestForm,
    CompanyConstraintForm,
    DecisionForm,
    PlanSettingsForm,
    parse_quota_post,
)
from .models import CommunicatorProfile, CompanionRequest, CompanyConstraint, PlanVisit

access_log = logging.getLogger("kakehashi.access")


# --- Helpers -------------------------------------------------------------------------------------------------------


def _programme(request, perm: str) -> Programme:
    """The current programme, if the user holds `perm` on it (403 otherwise)."""
    programme = getattr(request, "programme", None)
    if not programme or not request.user.has_perm(perm, programme):
        raise PermissionDenied
    return programme


def _plan_or_404(request, pk: int, perm: str = "planning.view_plan"):
    plan = selectors.plan_for(request.user, pk)
    if plan is None or not request.user.has_perm(perm, plan):
        raise Http404
    return plan


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Overview and inputs -------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    programme = _programme(request, "planning.view_plans")
    plans = paginate(request, selectors.plans_for(request.user, programme=programme).order_by("-version"), 20)
    can_manage = request.user.has_perm("planning.manage_planning", programme)
    context = {
        "programme": programme,
        "page": plans,
        "approved": selectors.approved_plan(programme),
        "can_manage": can_manage,
        "settings": getattr(programme, "plan_settings", None),
        "profiles": selectors.communicator_profiles_for(programme).count(),
        "constraints": selectors.company_constraints_for(programme).count(),
        "companions": selectors.companion_requests_for(programme).count(),
        "quotas": {kind: selectors.quotas_for(programme, kind).count() for kind in StratumKind.values},
    }
    return render(request, "planning/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    programme = _programme(request, "planning.manage_planning")
    plan_settings = services.plan_settings_ensure(actor=request.user, programme=programme)
    form = PlanSettingsForm(request.POST or None, instance=plan_settings)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "employees_bands"}
        try:
            services.plan_settings_update(
                actor=request.user,
                plan_settings=services.plan_settings_ensure(actor=request.user, programme=programme),
                employees_bands=form.cleaned_data["employees_bands"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("計画の設定を保存しました。"))
            return redirect("planning:index")
    return render(request, "planning/settings.html", {"programme": programme, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def quotas(request):
    programme = _programme(request, "planning.manage_planning")
    errors: dict[int, str] = {}
    if request.method == "POST":
        if "reset" in request.POST or "refresh" in request.POST:
            n = services.quotas_sync(actor=request.user, programme=programme, reset="reset" in request.POST)
            messages.success(request, _("候補の数から割当を計算しました（%(n)s 層）。") % {"n": n})
            return redirect("planning:quotas")
        rows = list(selectors.quotas_for(programme, StratumKind.REGION_INDUSTRY)) + list(
            selectors.quotas_for(programme, StratumKind.BUSINESS_FORM)
        )
        values, errors = parse_quota_post(request.POST, rows, target=programme.target_count)
        if not errors:
            changed = services.quotas_update(actor=request.user, programme=programme, values=values)
            services.quotas_sync(actor=request.user, programme=programme)
            messages.success(request, _("割当を保存しました（変更 %(n)s 件）。") % {"n": changed})
            return redirect("planning:quotas")
        messages.error(request, _("読み取れない割当があります。件数（例: 12）か割合（例: 3.5%）で入力してください。"))
    elif not selectors.quotas_for(programme, StratumKind.BUSINESS_FORM).exists():
        services.quotas_sync(actor=request.user, programme=programme)
    sections = []
    for kind, label in StratumKind.choices:
        rows = list(selectors.quotas_for(programme, kind))
        for row in rows:
            row.error = errors.get(row.pk, "")
            row.typed = request.POST.get(f"quota-{row.pk}", row.quota) if request.method == "POST" else row.quota
        sections.append({"kind": kind, "label": label, "rows": rows, "total": sum(r.quota for r in rows)})
    return render(request, "planning/quotas.html", {"programme": programme, "sections": sections})


@login_required
@require_GET
def communicator_list(request):
    programme = _programme(request, "planning.manage_planning")
    services.communicator_profiles_ensure(actor=request.user, programme=programme)
    page = paginate(request, selectors.communicator_profiles_for(programme), 20)
    return render(request, "planning/communicator_list.html", {"programme": programme, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def communicator_edit(request, pk: int):
    programme = _programme(request, "planning.manage_planning")
    profile = CommunicatorProfile.objects.filter(programme=programme, pk=pk).select_related("user").first()
    if profile is None:
        raise Http404
    form = CommunicatorProfileForm(request.POST or None, instance=profile, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        leave_days, regions = data.pop("leave_days"), data.pop("regions")
        try:
            services.communicator_profile_update(
                actor=request.user, profile=profile, regions=regions, leave_days=leave_days, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s の稼働条件を保存しました。") % {"name": profile.user})
            return redirect("planning:communicators")
    return render(
        request, "planning/communicator_form.html", {"programme": programme, "form": form, "profile": profile}
    )


@login_required
@require_POST
def feed_token_reset(request, pk: int):
    programme = getattr(request, "programme", None)
    profile = CommunicatorProfile.objects.filter(pk=pk).select_related("programme").first()
    if profile is None or not programme or profile.programme_id != programme.pk:
        raise Http404
    if profile.user_id != request.user.pk and not request.user.has_perm("planning.manage_planning", programme):
        raise Http404
    services.communicator_feed_token_reset(actor=request.user, profile=profile)
    messages.success(request, _("カレンダー配信のURLを新しくしました。以前のURLは使えません。"))
    if profile.user_id == request.user.pk:
        return redirect("planning:my_day")
    return redirect("planning:communicators")


def _company_scope(request, programme):
    return companies_for(request.user).filter(municipality__prefecture_id=programme.prefecture_id)


@login_required
@require_http_methods(["GET", "POST"])
def constraint_list(request):
    programme = _programme(request, "planning.manage_planning")
    form = CompanyConstraintForm(request.POST or None, companies=_company_scope(request, programme))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "company_name"}
        try:
            services.company_constraint_save(actor=request.user, programme=programme, company=form.company, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s の訪問条件を保存しました。") % {"name": form.company})
            return redirect("planning:constraints")
    page = paginate(request, selectors.company_constraints_for(programme), 30)
    return render(request, "planning/constraint_list.html", {"programme": programme, "form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def constraint_edit(request, pk: int):
    programme = _programme(request, "planning.manage_planning")
    constraint = CompanyConstraint.objects.filter(programme=programme, pk=pk).select_related("company").first()
    if constraint is None:
        raise Http404
    form = CompanyConstraintForm(
        request.POST or None, instance=constraint, companies=_company_scope(request, programme)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "company_name"}
        try:
            services.company_constraint_save(
                actor=request.user, programme=programme, company=constraint.company, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("訪問条件を保存しました。"))
            return redirect("planning:constraints")
    return render(
        request, "planning/constraint_form.html", {"programme": programme, "form": form, "constraint": constraint}
    )


@login_required
@require_POST
def constraint_delete(request, pk: int):
    programme = _programme(request, "planning.manage_planning")
    constraint = CompanyConstraint.objects.filter(programme=programme, pk=pk).first()
    if constraint is None:
        raise Http404
    services.company_constraint_delete(actor=request.user, constraint=constraint)
    messages.success(request, _("訪問条件を削除しました。"))
    return redirect("planning:constraints")


@login_required
@require_http_methods(["GET", "POST"])
def companion_list(request):
    programme = _programme(request, "planning.manage_planning")
    form = CompanionRequestForm(request.POST or None, programme=programme, companies=_company_scope(request, programme))
    if request.method == "POST" and form.is_valid():
        services.companion_request_add(
            actor=request.user,
            programme=programme,
            company=form.company,
            companion=form.cleaned_data["companion"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("同行の希望を登録しました。"))
        return redirect("planning:companions")
    page = paginate(request, selectors.companion_requests_for(programme), 30)
    return render(request, "planning/companion_list.html", {"programme": programme, "form": form, "page": page})


@login_required
@require_POST
def companion_delete(request, pk: int):
    programme = _programme(request, "planning.manage_planning")
    companion_request = CompanionRequest.objects.filter(programme=programme, pk=pk).first()
    if companion_request is None:
        raise Http404
    services.companion_request_delete(actor=request.user, request=companion_request)
    messages.success(request, _("同行の希望を取り消しました。"))
    return redirect("planning:companions")


# --- Plans ---------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def plan_build(request):
    programme = _programme(request, "planning.manage_planning")
    running = selectors.plans_for(request.user, programme=programme).filter(run_status__in=["queued", "running"])
    if running.exists():
        messages.warning(request, _("計算中の計画があります。終わってから次の版を作成してください。"))
        return redirect("planning:plan_detail", pk=running.first().pk)
    plan = services.plan_create(actor=request.user, programme=programme)
    messages.success(request, _("第%(version)s版の計算を始めました。") % {"version": plan.version})
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = _plan_or_404(request, pk)
    context = {"plan": plan, "programme": plan.programme}
    if not plan.is_running and plan.run_status == "done":
        report = plan.quality_report or {}
        diff = selectors.plan_diff(plan)
        baseline = report.get("baseline") or {}
        context.update(
            report=report,
            baseline=baseline,
            travel_saving=(
                round((1 - report["travel_km"] / baseline["travel_km"]) * 100, 1)
                if baseline.get("travel_km") and report.get("travel_km") is not None
                else None
            ),
            quota_rows=_quota_rows(plan),
            communicators=selectors.communicator_summary(plan),
            months=selectors.monthly_summary(plan),
            alternatives=paginate(request, selectors.alternatives(plan), 20),
            diff=diff,
            diff_limit=30,
        )
    context.update(
        can_submit=request.user.has_perm("planning.submit_plan", plan),
        can_decide=request.user.has_perm("planning.decide_plan", plan),
        can_manage=request.user.has_perm("planning.manage_planning", plan.programme),
        decision_form=DecisionForm(),
    )
    return render_page_or_partial(request, "planning/plan_detail.html", context, "status")


def _quota_rows(plan) -> list[dict]:
    deviation = (plan.quality_report or {}).get("quota_deviation") or {}
    rows = []
    for kind, label in StratumKind.choices:
        quotas = {q.key: q for q in selectors.quotas_for(plan.programme, kind)}
        for key, value in sorted((deviation.get(kind) or {}).items(), key=lambda kv: (-abs(kv[1]), kv[0])):
            quota = quotas.get(key)
            rows.append(
                {
                    "kind": label,
                    "label": quota.label if quota else key,
                    "quota": quota.quota if quota else None,
                    "deviation": value,
                }
            )
    return rows


@login_required
@require_GET
def plan_schedule(request, pk: int):
    plan = _plan_or_404(request, pk)
    visits = selectors.scheduled_visits(plan)
    communicators = (
        get_user_model()
        .objects.filter(pk__in=plan.visits.exclude(communicator=None).values("communicator_id"))
        .order_by("username")
    )
    chosen = request.GET.get("communicator", "")
    if chosen.isdigit():
        visits = visits.filter(communicator_id=int(chosen))
    month = request.GET.get("month", "")
    if len(month) == 7 and month[:4].isdigit() and month[5:].isdigit():
        visits = visits.filter(day__year=int(month[:4]), day__month=int(month[5:]))
    page = paginate(request, visits, 50)
    context = {
        "plan": plan,
        "programme": plan.programme,
        "page": page,
        "communicators": communicators,
        "chosen": chosen,
        "month": month,
        "months": selectors.monthly_summary(plan),
        "can_fix": request.user.has_perm("planning.fix_plan_visit", plan),
    }
    return render_page_or_partial(request, "planning/plan_schedule.html", context, "results")


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = _plan_or_404(request, pk, "planning.submit_plan")
    try:
        services.plan_submit(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    else:
        messages.success(request, _("県に承認を申請しました。"))
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_decide(request, pk: int):
    plan = _plan_or_404(request, pk, "planning.decide_plan")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("planning:plan_detail", pk=plan.pk)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.plan_approve(actor=request.user, plan=plan, comment=form.cleaned_data["comment"])
            messages.success(request, _("計画を承認しました。"))
        else:
            services.plan_return(actor=request.user, plan=plan, comment=form.cleaned_data["comment"])
            messages.success(request, _("計画を差し戻しました。"))
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_visit_fix(request, pk: int, visit_pk: int):
    plan = _plan_or_404(request, pk, "planning.fix_plan_visit")
    visit = plan.visits.filter(pk=visit_pk).select_related("company").first()
    if visit is None:
        raise Http404
    try:
        services.plan_visit_set_fixed(actor=request.user, visit=visit, fixed=request.POST.get("fixed") == "1")
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    if request.htmx:
        return render(request, "planning/partials/fix_button.html", {"plan": plan, "visit": visit, "can_fix": True})
    return redirect(request.POST.get("next") or reverse("planning:plan_schedule", args=[plan.pk]))


EXPORT_HEADER = [
    "版",
    "状態",
    "担当コミュニケータ",
    "訪問日",
    "曜日",
    "順番",
    "開始",
    "終了",
    "企業名",
    "法人番号",
    "市区町村",
    "所在地",
    "指定訪問先",
    "移動（分）",
    "移動（km）",
    "実施済み・固定",
    "代替手段",
    "代替の理由",
    "同行者",
]


@login_required
@require_GET
def plan_export(request, pk: int):
    plan = _plan_or_404(request, pk)
    visits = selectors.plan_visits(plan).order_by("alternative_kind", "day", "communicator__username", "order")

    def rows():
        for v in visits.iterator(chunk_size=500):
            yield [
                plan.version,
                plan.get_status_display(),
                str(v.communicator) if v.communicator else "",
                v.day,
                WEEKDAYS[v.day.weekday()] if v.day else "",
                v.order if not v.alternative_kind else "",
                v.start_time.strftime("%H:%M") if v.start_time else "",
                v.end_time.strftime("%H:%M") if v.end_time else "",
                v.company.name,
                v.company.corporate_number or "",
                v.company.municipality.name if v.company.municipality_id else "",
                v.company.address,
                "○" if v.designated else "",
                v.travel_minutes if not v.alternative_kind else "",
                v.travel_km if not v.alternative_kind else "",
                "○" if v.locked or v.fixed else "",
                v.get_alternative_kind_display() if v.alternative_kind else "",
                v.alternative_reason,
                str(v.companion) if v.companion else "",
            ]

    access_log.info("plan export: user=%s plan=%s", request.user.pk, plan.pk)
    filename = f"visit-plan-{plan.programme.code}-v{plan.version}.xlsx"
    return xlsx_response(rows(), EXPORT_HEADER, filename=filename, sheet_title=f"訪問計画 第{plan.version}版")


# --- The communicator's day ----------------------------------------------------------------------------------------


def _day(request) -> datetime.date:
    text = request.GET.get("date", "")
    if text:
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day:
            return day
    return timezone.localdate()


@login_required
@require_GET
def my_day(request):
    programme = _programme(request, "planning.view_planned_days")
    user = request.user
    communicator = user
    communicators = []
    if user.has_perm("planning.manage_planning", programme):
        communicators = list(
            get_user_model().objects.filter(communicator_profiles__programme=programme).order_by("username")
        )
        chosen = request.GET.get("communicator", "")
        if chosen.isdigit():
            communicator = next((c for c in communicators if c.pk == int(chosen)), None)
            if communicator is None:
                raise Http404
        elif communicators and not CommunicatorProfile.objects.filter(programme=programme, user=user).exists():
            communicator = communicators[0]
    day = _day(request)
    planned = selectors.planned_days_for(user, programme, communicator)
    visits = list(planned.filter(day=day))
    next_day = planned.filter(day__gt=day).values_list("day", flat=True).first()
    previous_day = planned.filter(day__lt=day).order_by("-day").values_list("day", flat=True).first()
    profile = (
        CommunicatorProfile.objects.filter(programme=programme, user=communicator)
        .select_related("home_municipality")
        .first()
    )
    home = None
    if profile:
        if profile.home_latitude is not None and profile.home_longitude is not None:
            home = (profile.home_latitude, profile.home_longitude)
        elif profile.home_municipality and profile.home_municipality.latitude is not None:
            home = (profile.home_municipality.latitude, profile.home_municipality.longitude)
    stops = [
        maps.Stop(v.order, v.company.municipality.latitude, v.company.municipality.longitude, v.company.name)
        for v in visits
        if v.company.municipality_id and v.company.municipality.latitude is not None
    ]
    places = list(
        Municipality.objects.filter(prefecture_id=programme.prefecture_id, latitude__isnull=False)
        .exclude(kind="ward")
        .values_list("latitude", "longitude")
    )
    done = selectors.done_companies(programme) if visits else set()
    for v in visits:
        v.is_done = v.company_id in done
    feed_url = None
    if profile and profile.user_id == user.pk:
        feed_url = request.build_absolute_uri(reverse("planning:ics_feed", args=[profile.feed_token]))
    context = {
        "programme": programme,
        "plan": selectors.approved_plan(programme),
        "communicator": communicator,
        "communicators": communicators,
        "day": day,
        "weekday": WEEKDAY_LABELS[day.weekday()],
        "visits": visits,
        "total_km": round(sum(v.travel_km for v in visits), 1),
        "total_minutes": sum(v.travel_minutes for v in visits),
        "next_day": next_day,
        "previous_day": previous_day,
        "map": maps.route_map(home=home, stops=stops, places=places) if visits else None,
        "profile": profile,
        "feed_url": feed_url,
        "can_record": user.has_perm("outreach.add_visit", programme),
    }
    return render(request, "planning/my_day.html", context)


@require_GET
def ics_feed(request, token: str):
    """A communicator's approved-plan visits as iCalendar; the unguessable token in the URL is the credential."""
    profile = selectors.profile_by_token(token)
    if profile is None:
        raise Http404
    plan = selectors.approved_plan(profile.programme)
    visits = (
        selectors.scheduled_visits(plan).filter(communicator_id=profile.user_id) if plan else PlanVisit.objects.none()
    )
    body = ics.calendar(
        visits.iterator(chunk_size=500),
        name=f"{profile.programme.name} 訪問予定（{profile.user}）",
        host=request.get_host().split(":")[0] or "kakehashi",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
