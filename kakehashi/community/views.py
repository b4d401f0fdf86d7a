"""Community screens: the public landing and sign-up, then member pages (suggestions, introductions, threads,
projects) and the moderators' page. Views fetch through selectors and answer 404 for missing-or-forbidden."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kakehashi.accounts.backends import ACCOUNT_BACKEND
from kakehashi.core.forms import add_service_errors
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from . import selectors, services
from .choices import IntroductionStatus, ProjectStage
from .forms import (
    AdvanceForm,
    IntroductionAnswerForm,
    IntroductionForm,
    MeetupDraftForm,
    PostForm,
    ProfileForm,
    ProjectForm,
    ReasonForm,
    SignupForm,
    ThreadForm,
    VerifyForm,
)
from .matching import suggestions_for
from .models import Introduction, Member
from .rules import member_of

SUGGESTIONS_PER_PAGE = 20
POSTS_PER_PAGE = 50
HOME_SUGGESTIONS = 3


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _participant(request) -> Member | None:
    """The signed-in member in good standing, or None (staff and superusers without a profile, banned members)."""
    member = member_of(request.user)
    return member if member is not None and request.user.has_perm("community.participate") else None


def _member_or_403(request) -> Member:
    member = _participant(request)
    if member is None:
        raise PermissionDenied
    return member


def _with_introductions(me: Member, suggestions: list) -> list:
    """Mark each suggestion with the latest introduction between the two (so the page says "承諾済み", not "依頼")."""
    ids = [s.member_id for s in suggestions]
    latest: dict[int, Introduction] = {}
    rows = Introduction.objects.filter(
        Q(requester=me, recipient_id__in=ids) | Q(recipient=me, requester_id__in=ids)
    ).order_by("created_at", "pk")
    for row in rows:
        latest[row.recipient_id if row.requester_id == me.pk else row.requester_id] = row
    for suggestion in suggestions:
        suggestion.introduction = latest.get(suggestion.member_id)
    return suggestions


def _directory() -> list[tuple[int, str]]:
    """Approved IT companies of the portal directory for the sign-up form; empty without the portal."""
    try:
        from kakehashi.portal.selectors import directory_for_public
    except ImportError:
        return []
    return list(directory_for_public().order_by("name").values_list("pk", "name")[:500])


# --- Public --------------------------------------------------------------------------------------------------------


@require_GET
def landing(request):
    kpis = selectors.community_kpis()
    return render(request, "community/landing.html", {"kpis": kpis, "member": member_of(request.user)})


@require_http_methods(["GET", "POST"])
def signup(request):
    directory = _directory()
    form = SignupForm(request.POST or None, directory=directory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        verify_url = request.build_absolute_uri(reverse("community:verify", kwargs={"token": "TOKEN"}))
        services.member_signup_request(
            email=data["email"],
            username=data["username"],
            display_name=data["display_name"],
            kind=data["kind"],
            organisation_name=data["organisation_name"],
            it_company_id=data.get("it_company"),
            verify_url=verify_url.replace("TOKEN", "{token}"),
        )
        return redirect(reverse("community:signup") + "?sent=1")
    return render(request, "community/signup.html", {"form": form, "sent": request.GET.get("sent") == "1"})


@require_http_methods(["GET", "POST"])
def verify(request, token: str):
    payload = services.signup_payload(token)
    if payload is None:
        return render(request, "community/verify.html", {"invalid": True}, status=400)
    form = VerifyForm(request.POST or None, payload=payload)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_verify(payload=payload, password=form.cleaned_data["password1"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, member.user, backend=ACCOUNT_BACKEND)
            messages.success(
                request, _("登録が完了しました。できること・求めていることを登録すると、合う相手を提案します。")
            )
            return redirect("community:profile_edit")
    return render(request, "community/verify.html", {"form": form, "payload": payload})


# --- Member home, profile, suggestions ----------------------------------------------------------------------------


@login_required
@require_GET
def home(request):
    _require(request, "community.view")
    member = member_of(request.user)
    context = {
        "member": member,
        "suggestions": _with_introductions(member, suggestions_for(member, limit=HOME_SUGGESTIONS)) if member else [],
        "threads": selectors.threads_for(request.user)[:5],
        "unread": selectors.notifications_for(request.user).filter(read_at__isnull=True).count(),
        "pending": selectors.introductions_for(request.user)
        .filter(recipient=member, status=IntroductionStatus.REQUESTED)
        .count()
        if member
        else 0,
        "can_moderate": request.user.has_perm("community.moderate"),
        "kpis": selectors.community_kpis() if request.user.has_perm("community.view_kpis") else None,
    }
    return render(request, "community/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    _require(request, "community.view")
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_update(
                actor=request.user,
                member=member,
                title=data["title"],
                offers_text=data["offers_text"],
                needs_text=data["needs_text"],
                offer_challenges=data["offer_challenges"],
                need_challenges=data["need_challenges"],
                notify_frequency=data["notify_frequency"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("プロフィールを保存しました。"))
            return redirect("community:suggestions")
    return render(request, "community/profile_form.html", {"form": form, "member": member})


@login_required
@require_GET
def suggestions(request):
    _require(request, "community.view")
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied
    page = Paginator(suggestions_for(member), SUGGESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    _with_introductions(member, page.object_list)
    profile_empty = not (member.needs_text or member.offers_text) and not (
        member.need_challenges.exists() or member.offer_challenges.exists()
    )
    return render(
        request, "community/suggestions.html", {"page": page, "member": member, "profile_empty": profile_empty}
    )


@login_required
@require_GET
def member_detail(request, pk: int):
    _require(request, "community.view")
    other = selectors.member_detail_for(request.user, pk)
    if other is None:
        raise Http404
    me = member_of(request.user)
    open_request = None
    if me is not None and me.pk != other.pk:
        open_request = (
            selectors.introductions_for(request.user)
            .filter(Q(requester=me, recipient=other) | Q(requester=other, recipient=me))
            .first()
        )
    context = {
        "other": other,
        "me": me,
        "introduction": open_request,
        "can_request": _participant(request) is not None
        and me.organisation_id != other.organisation_id
        and not other.is_banned
        and (open_request is None or open_request.status != IntroductionStatus.REQUESTED),
        "can_moderate": request.user.has_perm("community.moderate"),
        "ban_form": ReasonForm(),
    }
    return render(request, "community/member_detail.html", context)


# --- Introductions -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def introduction_create(request, pk: int):
    me = _member_or_403(request)
    other = selectors.member_detail_for(request.user, pk)
    if other is None or other.pk == me.pk:
        raise Http404
    reasons = next((s.reasons for s in suggestions_for(me) if s.member_id == other.pk), [])
    form = IntroductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.introduction_request(
                actor=request.user, requester=me, recipient=other, message=form.cleaned_data["message"], reasons=reasons
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("紹介を依頼しました。相手が承諾すると連絡先が表示されます。"))
            return redirect("community:introduction_list")
    return render(request, "community/introduction_form.html", {"form": form, "other": other, "reasons": reasons})


@login_required
@require_GET
def introduction_list(request):
    _require(request, "community.view")
    me = member_of(request.user)
    if me is None:
        raise PermissionDenied
    queryset = selectors.introductions_for(request.user)
    context = {
        "me": me,
        "received": paginate(request, queryset.filter(recipient=me)),
        "sent": queryset.filter(requester=me)[:50],
        "answer_form": IntroductionAnswerForm(),
    }
    return render(request, "community/introduction_list.html", context)


@login_required
@require_POST
def introduction_answer(request, pk: int):
    _member_or_403(request)
    introduction = selectors.introduction_for(request.user, pk)
    if introduction is None or not request.user.has_perm("community.answer_introduction", introduction):
        raise Http404
    form = IntroductionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回答を選んでください。"))
        return redirect("community:introduction_list")
    try:
        services.introduction_respond(
            actor=request.user,
            introduction=introduction,
            accept=form.cleaned_data["decision"] == "accept",
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("回答しました。"))
    return redirect("community:introduction_list")


@login_required
@require_GET
def notification_list(request):
    _require(request, "community.view")
    me = member_of(request.user)
    if me is None:
        raise PermissionDenied
    page = paginate(request, selectors.notifications_for(request.user))
    response = render(request, "community/notification_list.html", {"page": page})
    services.notifications_mark_read(member=me)
    return response


# --- Topics, threads, posts --------------------------------------------------------------------------------------


@login_required
@require_GET
def topic_list(request):
    _require(request, "community.view")
    topics = selectors.topics_for(request.user).filter(active=True)
    return render(
        request,
        "community/topic_list.html",
        {"topics": paginate(request, topics), "threads": selectors.threads_for(request.user)[:10]},
    )


@login_required
@require_GET
def topic_detail(request, slug: str):
    _require(request, "community.view")
    topic = selectors.topic_for(request.user, slug)
    if topic is None:
        raise Http404
    page = paginate(request, selectors.threads_for(request.user, topic=topic))
    context = {"topic": topic, "page": page, "can_post": _participant(request) is not None}
    return render_page_or_partial(request, "community/topic_detail.html", context, "threads")


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request, slug: str):
    me = _member_or_403(request)
    topic = selectors.topic_for(request.user, slug)
    if topic is None or not topic.active:
        raise Http404
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                actor=request.user,
                author=me,
                topic=topic,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(thread)
    return render(request, "community/thread_form.html", {"form": form, "topic": topic})


@login_required
@require_http_methods(["GET", "POST"])
def thread_detail(request, pk: int):
    _require(request, "community.view")
    thread = selectors.thread_for(request.user, pk)
    if thread is None:
        raise Http404
    can_post = _participant(request) is not None
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        if form.is_valid():
            try:
                post = services.post_create(
                    actor=request.user, author=member_of(request.user), thread=thread, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                page_number = (thread.posts.count() - 1) // POSTS_PER_PAGE + 1
                return redirect(f"{thread.get_absolute_url()}?page={page_number}#post-{post.pk}")
    posts = selectors.posts_for(request.user, thread)
    context = {
        "thread": thread,
        "page": paginate(request, posts, per_page=POSTS_PER_PAGE),
        "form": form,
        "can_post": can_post,
        "can_moderate": request.user.has_perm("community.moderate"),
        "me": member_of(request.user),
    }
    return render(request, "community/thread_detail.html", context)


@login_required
@require_POST
def post_report(request, pk: int):
    me = _member_or_403(request)
    post = selectors.post_for(request.user, pk)
    if post is None:
        raise Http404
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.post_report(actor=request.user, reporter=me, post=post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("通報しました。事務局が確認します。"))
    else:
        messages.error(request, _("通報の理由を入力してください。"))
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")


@login_required
@require_POST
def post_moderate(request, pk: int):
    _require(request, "community.moderate")
    post = selectors.post_for(request.user, pk)
    if post is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "hide":
            services.post_hide(actor=request.user, post=post, reason=request.POST.get("reason", ""))
            messages.success(request, _("投稿を非表示にしました。"))
        elif action == "unhide":
            services.post_unhide(actor=request.user, post=post)
            messages.success(request, _("投稿を再表示しました。"))
        elif action == "dismiss":
            services.reports_resolve(actor=request.user, post=post)
            messages.success(request, _("通報を対応済みにしました（投稿はそのまま）。"))
        else:
            messages.error(request, _("操作を選んでください。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(
        request.POST.get("next")
        if request.POST.get("next") == reverse("community:moderation")
        else f"{post.thread.get_absolute_url()}#post-{post.pk}"
    )


@login_required
@require_POST
def member_ban(request, pk: int):
    _require(request, "community.moderate")
    member = selectors.member_detail_for(request.user, pk)
    if member is None:
        raise Http404
    try:
        if request.POST.get("action") == "unban":
            services.member_unban(actor=request.user, member=member)
            messages.success(request, _("利用停止を解除しました。"))
        else:
            services.member_ban(actor=request.user, member=member, reason=request.POST.get("reason", ""))
            messages.success(request, _("利用を停止しました。この会員は投稿できません。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(member)


@login_required
@require_POST
def thread_meetup(request, pk: int):
    me = _member_or_403(request)
    thread = selectors.thread_for(request.user, pk)
    if thread is None:
        raise Http404
    try:
        services.thread_propose_meetup(actor=request.user, member=me, thread=thread)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("交流会を提案しました。事務局がイベントとして企画します。"))
    return redirect(thread)


@login_required
@require_POST
def thread_meetup_draft(request, pk: int):
    """Staff turn a thread (usually a members' meetup proposal) into a draft event in the events app."""
    _require(request, "community.moderate")
    programme = getattr(request, "programme", None)
    if not programme or not request.user.has_perm("events.add_event", programme):
        raise PermissionDenied
    thread = selectors.thread_for(request.user, pk)
    if thread is None:
        raise Http404
    form = MeetupDraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("開始日時を入力してください。"))
        return redirect("community:moderation")
    try:
        event = services.thread_meetup_draft(
            actor=request.user, thread=thread, programme=programme, starts_at=form.cleaned_data["starts_at"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("community:moderation")
    messages.success(request, _("交流会のイベントを下書きで作りました。内容を整えて公開してください。"))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_GET
def moderation(request):
    _require(request, "community.moderate")
    context = {
        "reports": paginate(request, selectors.open_reports_for(request.user)),
        "proposals": selectors.meetup_proposals_for(request.user)[:50],
        "banned": selectors.members_for(request.user).filter(banned_at__isnull=False)[:50],
        "can_draft_event": bool(getattr(request, "programme", None))
        and request.user.has_perm("events.add_event", request.programme),
        "meetup_form": MeetupDraftForm(),
    }
    return render(request, "community/moderation.html", context)


# --- Projects ----------------------------------------------------------------------------------------------------


def _partners(me: Member):
    """Members a project may be registered with: colleagues and the people an introduction connected."""
    accepted = Q(introductions_sent__recipient=me, introductions_sent__status=IntroductionStatus.ACCEPTED) | Q(
        introductions_received__requester=me, introductions_received__status=IntroductionStatus.ACCEPTED
    )
    partners = Member.objects.filter(accepted | Q(organisation=me.organisation)).exclude(pk=me.pk)
    return (
        Member.objects.filter(pk__in=partners.values("pk"), banned_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "pk")
    )


@login_required
@require_GET
def project_list(request):
    _require(request, "community.view")
    stage = request.GET.get("stage")
    queryset = selectors.projects_for(request.user)
    if stage in ProjectStage.values:
        queryset = queryset.filter(stage=stage)
    context = {
        "page": paginate(request, queryset),
        "stage": stage,
        "stages": ProjectStage.choices,
        "can_create": _participant(request) is not None,
    }
    return render_page_or_partial(request, "community/project_list.html", context, "projects")


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    me = _member_or_403(request)
    form = ProjectForm(request.POST or None, partners=_partners(me))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=request.user,
                creator=me,
                title=data["title"],
                summary=data["summary"],
                participants=data["participants"],
                challenges=data["challenges"],
                started_on=data["started_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("共創プロジェクトを登録しました。"))
            return redirect(project)
    return render(request, "community/project_form.html", {"form": form})


@login_required
@require_GET
def project_detail(request, pk: int):
    _require(request, "community.view")
    project = selectors.project_for(request.user, pk)
    if project is None:
        raise Http404
    can_change = request.user.has_perm("community.change_project", project)
    context = {
        "project": project,
        "participants": list(project.participants.all()),
        "organisations": sorted({m.organisation.name for m in project.participants.all()}),
        "can_advance": can_change and project.stage != ProjectStage.LAUNCHED,
        "advance_form": AdvanceForm(),
        "next_stage": {"idea": ProjectStage.TRIAL.label, "trial": ProjectStage.LAUNCHED.label}.get(project.stage),
    }
    return render(request, "community/project_detail.html", context)


@login_required
@require_POST
def project_advance(request, pk: int):
    _require(request, "community.view")
    project = selectors.project_for(request.user, pk)
    if project is None:
        raise Http404
    _require(request, "community.change_project", project)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("日付を正しく入力してください。"))
        return redirect(project)
    try:
        services.project_advance(
            actor=request.user, project=project, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("段階を進めました。"))
    return redirect(project)
